//! What every visitor of a storefront sees alike — the store with its shops, its categories,
//! and its shelves — kept between requests, and forgotten as soon as the database announces a
//! change to anything it was made from (a business's stock, catalog, shops or settings; see the
//! `storefront` and `stock` notices). The server keeps one per instance and forgets through its
//! listener, so a change made through any instance reaches every other's pages at once.
//!
//! Nothing is kept while the listener is not connected: without its notices a kept page could
//! not know it had become stale. A load that started before a change is not kept either (each
//! change moves the generation on), so a slow read never puts an old answer back.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use commerce::catalog::ShopCategory;
use commerce::identity::Storefront;
use uuid::Uuid;

use super::storefront::{Shelf, ShelfQuery};

/// The most shelves kept (each search or filter is one): past it, they are all dropped and kept
/// afresh, so odd searches cannot grow the memory without bound.
const MOST_SHELVES: usize = 1_000;

/// The storefront's shared reads, for one server instance.
#[derive(Clone, Debug, Default)]
pub struct StoreCache(Arc<Mutex<Kept>>);

#[derive(Debug, Default)]
struct Kept {
    /// Whether changes are being heard; nothing is kept otherwise.
    listening: bool,
    /// Moves on with every change heard.
    generation: u64,
    stores: HashMap<String, Storefront>,
    categories: HashMap<Uuid, Vec<ShopCategory>>,
    shelves: HashMap<(Uuid, ShelfQuery, Option<String>), Shelf>,
}

impl StoreCache {
    /// Changes are being heard (`true`), or no longer (`false`): either way everything kept is
    /// forgotten, since what was said in between is unknown.
    pub fn listening(&self, listening: bool) {
        let mut kept = self.lock();
        kept.listening = listening;
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
        self.through(|kept| &mut kept.stores, slug.to_owned(), load).await
    }

    /// A store's categories, kept or loaded.
    pub(crate) async fn categories<E>(
        &self,
        tenant: Uuid,
        load: impl Future<Output = Result<Vec<ShopCategory>, E>>,
    ) -> Result<Vec<ShopCategory>, E> {
        self.through(|kept| &mut kept.categories, tenant, load).await
    }

    /// A page of a store's shelf as narrowed by `query`, from `after`, kept or loaded.
    pub(crate) async fn shelf<E>(
        &self,
        tenant: Uuid,
        query: ShelfQuery,
        after: Option<String>,
        load: impl Future<Output = Result<Shelf, E>>,
    ) -> Result<Shelf, E> {
        self.through(|kept| &mut kept.shelves, (tenant, query, after), load).await
    }

    /// The value kept under `key` in the table `table` picks, or else what `load` answers,
    /// kept when no change was heard while it loaded.
    async fn through<K: Eq + Hash, V: Clone, E>(
        &self,
        table: fn(&mut Kept) -> &mut HashMap<K, V>,
        key: K,
        load: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        let generation = {
            let mut kept = self.lock();
            if let Some(value) = table(&mut kept).get(&key) {
                return Ok(value.clone());
            }
            kept.listening.then_some(kept.generation)
        };
        let value = load.await?;
        let mut kept = self.lock();
        if generation.is_some_and(|generation| kept.listening && kept.generation == generation) {
            let entries = table(&mut kept);
            if entries.len() >= MOST_SHELVES {
                entries.clear();
            }
            entries.insert(key, value.clone());
        }
        Ok(value)
    }
}

impl Kept {
    fn forget(&mut self, tenant: Option<Uuid>) {
        self.generation += 1;
        match tenant {
            None => {
                self.stores.clear();
                self.categories.clear();
                self.shelves.clear();
            }
            Some(tenant) => {
                self.stores.retain(|_, store| store.tenant.id.0 != tenant);
                self.categories.remove(&tenant);
                self.shelves.retain(|(of, _, _), _| *of != tenant);
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

    async fn load(cache: &StoreCache, tenant: Uuid, answer: &str) -> Shelf {
        let found: Result<Shelf, ()> =
            cache.shelf(tenant, ShelfQuery::default(), None, async { Ok(shelf(answer)) }).await;
        found.unwrap_or_else(|()| shelf("failed"))
    }

    #[tokio::test]
    async fn keeps_only_while_listening_and_forgets_a_changed_business() {
        let cache = StoreCache::default();
        let (one, two) = (Uuid::now_v7(), Uuid::now_v7());
        // Not listening: every read loads.
        assert_eq!(load(&cache, one, "a").await.next.as_deref(), Some("a"));
        assert_eq!(load(&cache, one, "b").await.next.as_deref(), Some("b"));
        cache.listening(true);
        assert_eq!(load(&cache, one, "c").await.next.as_deref(), Some("c"));
        assert_eq!(load(&cache, one, "d").await.next.as_deref(), Some("c"), "kept");
        assert_eq!(load(&cache, two, "e").await.next.as_deref(), Some("e"));
        // A change of the first business forgets its shelf only.
        cache.changed(Some(one));
        assert_eq!(load(&cache, one, "f").await.next.as_deref(), Some("f"));
        assert_eq!(load(&cache, two, "g").await.next.as_deref(), Some("e"));
        // The listener lost: nothing kept, nothing read from what was.
        cache.listening(false);
        assert_eq!(load(&cache, two, "h").await.next.as_deref(), Some("h"));
        assert_eq!(load(&cache, two, "i").await.next.as_deref(), Some("i"));
    }

    #[tokio::test]
    async fn a_load_overtaken_by_a_change_is_not_kept() {
        let cache = StoreCache::default();
        cache.listening(true);
        let tenant = Uuid::now_v7();
        let stale: Result<Shelf, ()> = cache
            .shelf(tenant, ShelfQuery::default(), None, async {
                // The change commits while this read is on its way.
                cache.changed(Some(tenant));
                Ok(shelf("old"))
            })
            .await;
        assert_eq!(stale.ok().and_then(|s| s.next).as_deref(), Some("old"));
        assert_eq!(load(&cache, tenant, "new").await.next.as_deref(), Some("new"));
    }
}
