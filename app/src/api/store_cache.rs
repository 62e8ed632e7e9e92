//! What every visitor of a storefront sees alike — the store with its shops, its categories,
//! and its shelves — kept between requests, and forgotten as soon as the database announces a
//! change to anything it was made from (a business's stock, catalog, shops or settings; see the
//! `storefront` and `stock` notices). The server keeps one per instance and forgets through its
//! listener, so a change made through any instance reaches every other's pages at once.
//!
//! Nothing is kept while the listener is not connected: without its notices a kept page could
//! not know it had become stale. A load that started before a change of its business is not
//! kept (each change is numbered, and each business remembers its last), so a slow read never
//! puts an old answer back. Whatever happens to the notices, nothing is served older than
//! [`MOST_AGE`]. The loads read the primary database, never a replica that could lag behind the
//! notice that cleared them.
//!
//! Besides its parts, a store's home and category pages are kept whole, as a visitor without
//! cookies is sent them ([`KeptPage`]): the server answers such a visitor without rendering at
//! all. A page is kept only while its store is, and goes with it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use commerce::catalog::{ShelfFilter, ShopCategory};
use commerce::identity::Storefront;
use uuid::Uuid;

use super::storefront::Shelf;

/// The most shelves kept for one business (each narrowing, order and page is one): past it, that
/// business's are dropped and kept afresh, so odd searches cannot grow the memory without bound.
const MOST_SHELVES_EACH: usize = 200;
/// The most shelves kept in all: past it, every business's are dropped.
const MOST_SHELVES: usize = 2_000;
/// The most whole pages kept for one business: past it, its oldest goes.
const MOST_PAGES_EACH: usize = 100;
/// The most bytes of page text kept in all (a page is some 50 KB, and its compressed copies
/// add about a third): past it, the oldest pages of any business go.
const PAGE_BYTES: usize = 24 << 20;
/// The largest page kept: a larger one is made for each visitor.
pub const LARGEST_PAGE: usize = 512 << 10;
/// The oldest anything kept is served: a safety net should a notice ever be lost unnoticed.
pub const MOST_AGE: Duration = Duration::from_mins(1);

/// A shelf's page: what it is narrowed to and ordered by, and the key it starts after.
pub(crate) type ShelfKey = (ShelfFilter, Option<(String, Uuid)>);

/// The storefront's shared reads, for one server instance.
#[derive(Clone, Debug, Default)]
pub struct StoreCache(Arc<Mutex<Kept>>);

#[derive(Debug, Default)]
struct Kept {
    /// Set for a cache that keeps nothing.
    off: bool,
    /// Whether changes are being heard; nothing is kept otherwise.
    listening: bool,
    /// The number of the last change heard.
    heard: u64,
    /// The number of the last change that could have been any business's.
    all_changed: u64,
    /// The number of each business's last change.
    changed: HashMap<Uuid, u64>,
    stores: HashMap<String, (Instant, Storefront)>,
    categories: HashMap<Uuid, (Instant, Vec<ShopCategory>)>,
    shelves: HashMap<Uuid, HashMap<ShelfKey, (Instant, Shelf)>>,
    pages: Pages,
}

/// Whole pages, by business and address, with the bytes their text takes.
#[derive(Debug, Default)]
struct Pages {
    each: HashMap<Uuid, HashMap<String, (Instant, Arc<KeptPage>)>>,
    bytes: usize,
}

impl Pages {
    fn get(&self, tenant: Uuid, address: &str) -> Option<&(Instant, Arc<KeptPage>)> {
        self.each.get(&tenant)?.get(address)
    }

    /// Keeps a page made from parts read at `at`, making room by dropping the oldest: the
    /// business's own past [`MOST_PAGES_EACH`], anyone's past [`PAGE_BYTES`].
    fn insert(&mut self, tenant: Uuid, address: &str, at: Instant, page: KeptPage) {
        let size = page.text.len();
        self.remove(tenant, address);
        if self.each.get(&tenant).is_some_and(|pages| pages.len() >= MOST_PAGES_EACH) {
            self.drop_oldest(Some(tenant));
        }
        while self.bytes + size > PAGE_BYTES && self.drop_oldest(None) {}
        self.bytes += size;
        self.each.entry(tenant).or_default().insert(address.to_owned(), (at, Arc::new(page)));
    }

    /// Drops the oldest page of the business (or of anyone's); whether there was one.
    fn drop_oldest(&mut self, of: Option<Uuid>) -> bool {
        let oldest = self
            .each
            .iter()
            .filter(|(tenant, _)| of.is_none_or(|of| of == **tenant))
            .flat_map(|(tenant, pages)| pages.iter().map(move |(address, (at, _))| (*at, *tenant, address)))
            .min_by_key(|(at, _, _)| *at)
            .map(|(_, tenant, address)| (tenant, address.clone()));
        oldest.is_some_and(|(tenant, address)| self.remove(tenant, &address))
    }

    fn remove(&mut self, tenant: Uuid, address: &str) -> bool {
        let Some(pages) = self.each.get_mut(&tenant) else { return false };
        let Some((_, page)) = pages.remove(address) else { return false };
        self.bytes -= page.text.len();
        if pages.is_empty() {
            self.each.remove(&tenant);
        }
        true
    }

    fn forget(&mut self, tenant: Uuid) {
        if let Some(pages) = self.each.remove(&tenant) {
            self.bytes -= pages.values().map(|(_, page)| page.text.len()).sum::<usize>();
        }
    }

    fn clear(&mut self) {
        self.each.clear();
        self.bytes = 0;
    }
}

/// A storefront page as every visitor without cookies is sent it, kept whole: its text, and
/// that text compressed each way a visitor has asked for it so far.
#[derive(Debug)]
pub struct KeptPage {
    /// Its headers (its type and security policy).
    pub headers: http::HeaderMap,
    /// What the router attached to it (the route it matched, for the metrics).
    pub extensions: http::Extensions,
    /// Its text.
    pub text: bytes::Bytes,
    /// Its text gzipped, once asked for.
    pub gzip: std::sync::OnceLock<bytes::Bytes>,
    /// Its text compressed with Brotli, once asked for.
    pub brotli: std::sync::OnceLock<bytes::Bytes>,
}

/// Where the making of a page started, for [`StoreCache::keep_page`]: the number of the last
/// change heard then (none when nothing is kept), and the moment.
#[derive(Clone, Copy, Debug)]
pub struct Started(Option<u64>, Instant);

impl Started {
    /// Whether the page may be kept at all (changes are being heard).
    pub fn keeps(self) -> bool {
        self.0.is_some()
    }
}

impl StoreCache {
    /// A cache that keeps nothing: every storefront page is made afresh (`STORE_CACHE=off`).
    pub fn keeping_nothing() -> Self {
        let cache = Self::default();
        cache.lock().off = true;
        cache
    }

    /// Changes are being heard (`true`), or no longer (`false`): either way everything kept is
    /// forgotten, since what was said in between is unknown.
    pub fn listening(&self, listening: bool) {
        let mut kept = self.lock();
        kept.listening = listening && !kept.off;
        kept.forget(None);
    }

    /// Whether changes are being heard, so that pages are kept.
    pub fn is_listening(&self) -> bool {
        self.lock().listening
    }

    /// Something a business's storefront shows changed (`None`: some business's, or unknown).
    pub fn changed(&self, tenant: Option<Uuid>) {
        self.lock().forget(tenant);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The store at this address, kept or loaded.
    pub(crate) async fn store<E>(
        &self,
        slug: &str,
        load: impl Future<Output = Result<Storefront, E>>,
    ) -> Result<Storefront, E> {
        self.through(
            |kept| kept.stores.get(slug),
            |store| store.tenant.id.0,
            |kept, entry| {
                kept.stores.insert(slug.to_owned(), entry);
            },
            load,
        )
        .await
    }

    /// A store's categories, kept or loaded.
    pub(crate) async fn categories<E>(
        &self,
        tenant: Uuid,
        load: impl Future<Output = Result<Vec<ShopCategory>, E>>,
    ) -> Result<Vec<ShopCategory>, E> {
        self.through(
            |kept| kept.categories.get(&tenant),
            |_| tenant,
            |kept, entry| {
                kept.categories.insert(tenant, entry);
            },
            load,
        )
        .await
    }

    /// A page of a store's shelf, kept or loaded.
    pub(crate) async fn shelf<E>(
        &self,
        tenant: Uuid,
        key: ShelfKey,
        load: impl Future<Output = Result<Shelf, E>>,
    ) -> Result<Shelf, E> {
        self.through(
            |kept| kept.shelves.get(&tenant).and_then(|each| each.get(&key)),
            |_| tenant,
            |kept, entry| {
                if kept.shelves.values().map(HashMap::len).sum::<usize>() >= MOST_SHELVES {
                    kept.shelves.clear();
                }
                let each = kept.shelves.entry(tenant).or_default();
                if each.len() >= MOST_SHELVES_EACH {
                    each.clear();
                }
                each.insert(key.clone(), entry);
            },
            load,
        )
        .await
    }

    /// The page kept at this address (path and query) of the store at `slug`, when its store is
    /// kept and it is young enough.
    pub fn page(&self, slug: &str, address: &str) -> Option<Arc<KeptPage>> {
        let kept = self.lock();
        let (_, store) = kept.stores.get(slug)?;
        let (at, page) = kept.pages.get(store.tenant.id.0, address)?;
        (at.elapsed() < MOST_AGE).then(|| Arc::clone(page))
    }

    /// Marks the start of making a page that may be kept.
    pub fn start_page(&self) -> Started {
        Started(self.lock().started(), Instant::now())
    }

    /// Keeps a page of the store at `slug`, made since `started`, at this address: only if its
    /// store is kept (it was read whole, and still stands), nothing of its business changed
    /// since, and it is no larger than [`LARGEST_PAGE`]. It is as old as the oldest of its
    /// business's kept reads it may have been made from (those young enough to be served when
    /// its making started), so that nothing is served older than [`MOST_AGE`]. Answers whether
    /// it was kept.
    pub fn keep_page(&self, slug: &str, address: &str, started: Started, page: KeptPage) -> bool {
        let mut kept = self.lock();
        let Some((store_at, tenant)) = kept.stores.get(slug).map(|(at, store)| (*at, store.tenant.id.0)) else {
            return false;
        };
        if !kept.unchanged_since(started.0, tenant) || page.text.len() > LARGEST_PAGE {
            return false;
        }
        // A read already too old when the page started was not served to it.
        let servable = |at: &Instant| started.1.checked_sub(MOST_AGE).is_none_or(|oldest| *at > oldest);
        let at = kept
            .shelves
            .get(&tenant)
            .into_iter()
            .flat_map(|shelves| shelves.values().map(|(at, _)| *at))
            .chain(kept.categories.get(&tenant).map(|(at, _)| *at))
            .filter(servable)
            .fold(store_at, Instant::min);
        kept.pages.insert(tenant, address, at, page);
        true
    }

    /// What `find` finds kept (when it is young enough), or else what `load` answers, kept by
    /// `keep` when no change of its business (`tenant_of`) was heard while it loaded.
    async fn through<V: Clone, E>(
        &self,
        find: impl for<'a> Fn(&'a Kept) -> Option<&'a (Instant, V)>,
        tenant_of: impl Fn(&V) -> Uuid,
        keep: impl FnOnce(&mut Kept, (Instant, V)),
        load: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        let started = {
            let kept = self.lock();
            if let Some((at, value)) = find(&kept)
                && at.elapsed() < MOST_AGE
            {
                return Ok(value.clone());
            }
            kept.started()
        };
        let value = load.await?;
        let mut kept = self.lock();
        if kept.unchanged_since(started, tenant_of(&value)) {
            keep(&mut kept, (Instant::now(), value.clone()));
        }
        Ok(value)
    }
}

impl Kept {
    /// The number of the last change heard when a load starts; none when nothing is kept.
    fn started(&self) -> Option<u64> {
        self.listening.then_some(self.heard)
    }

    /// Whether a load that started at `started` may be kept: changes are still being heard, and
    /// nothing of this business (or of every business) changed since.
    fn unchanged_since(&self, started: Option<u64>, tenant: Uuid) -> bool {
        started.is_some_and(|started| {
            self.listening
                && self.all_changed <= started
                && self.changed.get(&tenant).is_none_or(|changed| *changed <= started)
        })
    }

    fn forget(&mut self, tenant: Option<Uuid>) {
        self.heard += 1;
        match tenant {
            None => {
                self.all_changed = self.heard;
                self.changed.clear();
                self.stores.clear();
                self.categories.clear();
                self.shelves.clear();
                self.pages.clear();
            }
            Some(tenant) => {
                self.changed.insert(tenant, self.heard);
                self.stores.retain(|_, (_, store)| store.tenant.id.0 != tenant);
                self.categories.remove(&tenant);
                self.shelves.remove(&tenant);
                self.pages.forget(tenant);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shelf told apart by its mark.
    fn shelf(mark: &str) -> Shelf {
        Shelf { items: Vec::new(), next: Some(mark.to_owned()) }
    }

    async fn load(cache: &StoreCache, tenant: Uuid, answer: &str) -> String {
        let found: Result<Shelf, ()> =
            cache.shelf(tenant, (ShelfFilter::default(), None), async { Ok(shelf(answer)) }).await;
        found.ok().and_then(|s| s.next).unwrap_or_default()
    }

    #[tokio::test]
    async fn keeps_only_while_listening_and_forgets_a_changed_business() {
        let cache = StoreCache::default();
        let (one, two) = (Uuid::now_v7(), Uuid::now_v7());
        // Not listening: every read loads.
        assert_eq!(load(&cache, one, "a").await, "a");
        assert_eq!(load(&cache, one, "b").await, "b");
        cache.listening(true);
        assert_eq!(load(&cache, one, "c").await, "c");
        assert_eq!(load(&cache, one, "d").await, "c", "kept");
        assert_eq!(load(&cache, two, "e").await, "e");
        // A change of the first business forgets its shelf only.
        cache.changed(Some(one));
        assert_eq!(load(&cache, one, "f").await, "f");
        assert_eq!(load(&cache, two, "g").await, "e");
        // The listener lost: nothing kept, nothing read from what was.
        cache.listening(false);
        assert_eq!(load(&cache, two, "h").await, "h");
        assert_eq!(load(&cache, two, "i").await, "i");
    }

    #[tokio::test]
    async fn a_load_overtaken_by_a_change_of_its_business_is_not_kept_and_others_changes_do_not_matter() {
        let cache = StoreCache::default();
        cache.listening(true);
        let (tenant, other) = (Uuid::now_v7(), Uuid::now_v7());
        let stale: Result<Shelf, ()> = cache
            .shelf(tenant, (ShelfFilter::default(), None), async {
                // The change commits while this read is on its way.
                cache.changed(Some(tenant));
                Ok(shelf("old"))
            })
            .await;
        assert_eq!(stale.ok().and_then(|s| s.next).as_deref(), Some("old"));
        assert_eq!(load(&cache, tenant, "new").await, "new");
        // Another business's change while a read is on its way does not stop it being kept.
        cache.changed(Some(tenant));
        let kept: Result<Shelf, ()> = cache
            .shelf(tenant, (ShelfFilter::default(), None), async {
                cache.changed(Some(other));
                Ok(shelf("newer"))
            })
            .await;
        assert!(kept.is_ok());
        assert_eq!(load(&cache, tenant, "newest").await, "newer");
    }

    fn page(size: usize) -> KeptPage {
        KeptPage {
            headers: http::HeaderMap::new(),
            extensions: http::Extensions::new(),
            text: bytes::Bytes::from(vec![b'x'; size]),
            gzip: std::sync::OnceLock::new(),
            brotli: std::sync::OnceLock::new(),
        }
    }

    /// A store of its own business, at `slug`.
    fn storefront(slug: &str) -> Storefront {
        use commerce::identity::{TenantMode, TenantStatus, TenantSummary};
        Storefront {
            tenant: TenantSummary {
                id: commerce::base::TenantId(Uuid::now_v7()),
                slug: slug.to_owned(),
                name: "Oja Fresh".to_owned(),
                tagline: String::new(),
                mode: TenantMode::SingleVendor,
                status: TenantStatus::Active,
                currency: commerce::base::money::Currency::NGN,
                vat_rate: rust_decimal::Decimal::new(75, 1),
                prices_include_tax: true,
                time_zone: "Africa/Lagos".to_owned(),
                location_count: 1,
                listed: true,
            },
            shops: Vec::new(),
            shopper: None,
        }
    }

    #[tokio::test]
    async fn a_page_is_as_old_as_the_reads_it_may_have_been_made_from() {
        let cache = StoreCache::default();
        cache.listening(true);
        let store = storefront("oja");
        let tenant = store.tenant.id.0;
        let _: Result<Storefront, ()> = cache.store("oja", async { Ok(store) }).await;
        // A shelf kept long ago and not asked for since: no page made now was made from it.
        let long_ago = Instant::now().checked_sub(MOST_AGE * 2).unwrap();
        cache
            .lock()
            .shelves
            .entry(tenant)
            .or_default()
            .insert((ShelfFilter::default(), None), (long_ago, shelf("old")));
        assert!(cache.keep_page("oja", "/store/oja", cache.start_page(), page(10)));
        assert!(cache.page("oja", "/store/oja").is_some(), "served while its own reads are young");
        // A read it may have used, near the end of its life, ends the page's life with it.
        let nearly = Instant::now().checked_sub(MOST_AGE).unwrap() + Duration::from_secs(1);
        let started = cache.start_page();
        cache.lock().categories.insert(tenant, (nearly, Vec::new()));
        assert!(cache.keep_page("oja", "/store/oja/c/x", started, page(10)));
        assert!(cache.page("oja", "/store/oja/c/x").is_some());
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(cache.page("oja", "/store/oja/c/x").is_none(), "no older than its oldest read");
        // Made now, a page was not made from that expired read (it would have been read again).
        assert!(cache.keep_page("oja", "/store/oja", cache.start_page(), page(10)));
        assert!(cache.page("oja", "/store/oja").is_some());
    }

    #[test]
    fn a_business_past_its_share_of_pages_loses_its_oldest_and_none_of_anothers() {
        let mut pages = Pages::default();
        let (busy, quiet) = (Uuid::now_v7(), Uuid::now_v7());
        let start = Instant::now();
        pages.insert(quiet, "/store/quiet", start, page(10));
        for n in 0..=MOST_PAGES_EACH {
            let at = start + Duration::from_millis(u64::try_from(n).unwrap_or_default() + 1);
            pages.insert(busy, &format!("/store/busy?q={n}"), at, page(10));
        }
        assert_eq!(pages.each[&busy].len(), MOST_PAGES_EACH);
        assert!(pages.get(busy, "/store/busy?q=0").is_none(), "its oldest went");
        assert!(pages.get(busy, &format!("/store/busy?q={MOST_PAGES_EACH}")).is_some());
        assert!(pages.get(quiet, "/store/quiet").is_some(), "older, but another business's");
        assert_eq!(pages.bytes, 10 * (MOST_PAGES_EACH + 1));
    }

    #[test]
    fn pages_past_the_bytes_allowed_push_out_the_oldest_anywhere() {
        let mut pages = Pages::default();
        let start = Instant::now();
        let size = PAGE_BYTES / 4;
        let businesses: Vec<Uuid> = (0..6).map(|_| Uuid::now_v7()).collect();
        for (n, tenant) in businesses.iter().enumerate() {
            let at = start + Duration::from_millis(u64::try_from(n).unwrap_or_default());
            pages.insert(*tenant, "/store/x", at, page(size));
            assert!(pages.bytes <= PAGE_BYTES);
        }
        assert!(pages.get(businesses[0], "/store/x").is_none() && pages.get(businesses[1], "/store/x").is_none());
        assert!(businesses[2..].iter().all(|tenant| pages.get(*tenant, "/store/x").is_some()));
        assert_eq!(pages.bytes, 4 * size);
        // The same address kept again replaces itself; forgetting a business gives its bytes back.
        pages.insert(businesses[5], "/store/x", start, page(size / 2));
        assert_eq!(pages.bytes, 3 * size + size / 2);
        pages.forget(businesses[5]);
        assert_eq!(pages.bytes, 3 * size);
        pages.clear();
        assert_eq!(pages.bytes, 0);
    }

    #[tokio::test]
    async fn many_narrowings_of_one_business_do_not_push_out_anothers() {
        let cache = StoreCache::default();
        cache.listening(true);
        let (busy, quiet) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(load(&cache, quiet, "quiet").await, "quiet");
        for n in 0..=MOST_SHELVES_EACH {
            let filter = ShelfFilter { search: Some(format!("word {n}")), ..ShelfFilter::default() };
            let _: Result<Shelf, ()> = cache.shelf(busy, (filter, None), async { Ok(shelf("busy")) }).await;
        }
        assert!(cache.lock().shelves[&busy].len() <= MOST_SHELVES_EACH);
        assert_eq!(load(&cache, quiet, "again").await, "quiet", "still kept");
    }
}
