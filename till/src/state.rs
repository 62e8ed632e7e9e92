//! What the till holds: kept in the browser's storage (so a reload, a closed browser or a
//! restarted phone loses nothing) and mirrored in signals for the screen.
//!
//! Every document is kept the moment it is made, in one storage transaction with the receipt
//! number it takes, and waits in the outbox until the server has it.

use commerce::pos::{
    Document, Outcome, Receipt, Sale, Status, TillCashier, TillCustomer, TillData, TillProduct, TillVariant,
};
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::idb::{DOCS, Db, META, OUTBOX, StoreError, Write};
use crate::web::{self, Failure};

/// Where the till is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Opening the storage, loading what is kept.
    Starting,
    /// Not enrolled yet: asks for the manager's code.
    Enrol,
    /// Nobody signed in: the cashiers' tiles and the PIN pad.
    SignIn,
    /// Signed in with no shift open.
    OpenShift,
    /// Ringing a sale.
    Sell,
    /// Taking payment for the cart.
    Pay,
    /// The last sale's receipt.
    Receipt(Uuid),
    /// Taking goods back.
    Return,
    /// Cash into or out of the drawer.
    Cash,
    /// The shift's report, and closing it.
    Close,
    /// Documents the server refused.
    Refused,
}

/// The shift open on this till.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenShift {
    /// Its id.
    pub id: Uuid,
    /// Who opened it.
    pub cashier: Uuid,
    /// When.
    pub opened_at: chrono::DateTime<chrono::Utc>,
    /// The float.
    pub float: Decimal,
}

/// A line of the cart being rung.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    /// The variant.
    pub variant: Uuid,
    /// What the receipt says.
    pub name: String,
    /// Its SKU.
    pub sku: String,
    /// How many.
    pub quantity: i32,
    /// The unit price charged.
    pub unit_price: Decimal,
    /// The shelf's.
    pub shelf_price: Decimal,
    /// Taken off the line.
    pub discount: Decimal,
    /// How VAT applies.
    pub tax_class: commerce::catalog::TaxClass,
    /// The manager who allowed a price or discount.
    pub approved_by: Option<Uuid>,
}

/// The cart being rung, or one parked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    /// Its lines, newest last.
    pub lines: Vec<CartLine>,
    /// The customer attached.
    pub customer: Option<TillCustomer>,
    /// A parked cart's note ("the lady in red").
    #[serde(default)]
    pub note: String,
}

/// An entry of the outbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    /// The document.
    pub doc: Document,
    /// Why the server refused it, when it did.
    #[serde(default)]
    pub problem: Option<String>,
    /// Not sent again before (milliseconds), when refused.
    #[serde(default)]
    pub retry_at: f64,
}

/// The whole till, shared by every screen.
#[derive(Clone, Copy)]
pub struct Till {
    /// Where it is.
    pub screen: RwSignal<Screen>,
    /// What it sells and who may sign in.
    pub data: RwSignal<Option<TillData>>,
    /// Who is signed in.
    pub cashier: RwSignal<Option<TillCashier>>,
    /// The open shift.
    pub shift: RwSignal<Option<OpenShift>>,
    /// The cart being rung.
    pub cart: RwSignal<Cart>,
    /// Carts put aside.
    pub parked: RwSignal<Vec<Cart>>,
    /// Documents waiting to reach the server.
    pub waiting: RwSignal<u32>,
    /// Documents the server refused, with why.
    pub refused: RwSignal<Vec<(Document, String)>>,
    /// A sync under way: documents sent of those waiting.
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// Whether the last call reached the server.
    pub online: RwSignal<bool>,
    /// What the cashier should read now (an error, a warning).
    pub notice: RwSignal<Option<String>>,
    /// The register's credential was refused: revoked, or unknown.
    pub shut_out: RwSignal<bool>,
    /// What goods brought back in an exchange left to spend on the next sale.
    pub credit: RwSignal<Decimal>,
    /// The last receipt printed, to print again.
    pub last_receipt: RwSignal<Option<Uuid>>,
}

/// The storage, opened once when the till starts.
static DB: std::sync::OnceLock<send_wrapper::SendWrapper<Db>> = std::sync::OnceLock::new();

/// The till's storage.
pub fn db() -> Result<Db, StoreError> {
    DB.get().map(|d| (**d).clone()).ok_or_else(|| StoreError("the storage is not open yet".to_owned()))
}

impl Till {
    /// A till with nothing loaded.
    pub fn new() -> Self {
        Self {
            screen: RwSignal::new(Screen::Starting),
            data: RwSignal::new(None),
            cashier: RwSignal::new(None),
            shift: RwSignal::new(None),
            cart: RwSignal::new(Cart::default()),
            parked: RwSignal::new(Vec::new()),
            waiting: RwSignal::new(0),
            refused: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            online: RwSignal::new(web::online()),
            notice: RwSignal::new(None),
            shut_out: RwSignal::new(false),
            credit: RwSignal::new(Decimal::ZERO),
            last_receipt: RwSignal::new(None),
        }
    }

    /// Opens the storage and loads what it keeps; answers the screen to start on.
    pub async fn load(self) -> Result<(), StoreError> {
        let db = Db::open().await?;
        let _ = DB.set(send_wrapper::SendWrapper::new(db.clone()));
        let data: Option<TillData> = read(&db, "data").await?;
        let credential = db.get(META, "credential").await?;
        self.data.set(data);
        self.shift.set(read(&db, "shift").await?);
        self.cart.set(read(&db, "cart").await?.unwrap_or_default());
        self.parked.set(read(&db, "parked").await?.unwrap_or_default());
        self.credit.set(read(&db, "credit").await?.unwrap_or_default());
        self.last_receipt.set(read(&db, "last_receipt").await?);
        let session: Option<Uuid> = read(&db, "session").await?;
        let cashier = session.and_then(|id| self.cashier_by_id(id));
        self.cashier.set(cashier);
        self.count_waiting().await?;
        self.screen.set(if credential.is_none() { Screen::Enrol } else { self.home() });
        Ok(())
    }

    /// The screen a signed-in cashier goes back to.
    pub fn home(self) -> Screen {
        match (self.cashier.get_untracked(), self.shift.get_untracked()) {
            (None, _) => Screen::SignIn,
            (Some(_), None) => Screen::OpenShift,
            (Some(_), Some(_)) => Screen::Sell,
        }
    }

    /// The cashier with this id, if they may still sign in here.
    pub fn cashier_by_id(self, id: Uuid) -> Option<TillCashier> {
        self.data.with_untracked(|d| d.as_ref().and_then(|d| d.cashiers.iter().find(|c| c.id == id).cloned()))
    }

    /// Keeps a value under `key` of the meta store.
    pub async fn keep<T: Serialize>(self, key: &str, value: &T) -> Result<(), StoreError> {
        let text = serde_json::to_string(value).map_err(|e| StoreError(e.to_string()))?;
        db()?.write(&[Write { store: META, key: key.to_owned(), value: Some(text) }]).await
    }

    /// Keeps the cart (so that a reload mid-sale loses nothing).
    pub fn keep_cart(self) {
        let cart = self.cart.get_untracked();
        leptos::task::spawn_local(async move {
            let _ = self.keep("cart", &cart).await;
        });
    }

    /// Recounts the outbox for the header.
    pub async fn count_waiting(self) -> Result<(), StoreError> {
        let all = db()?.all(OUTBOX).await?;
        let mut refused = Vec::new();
        for (_, text) in &all {
            if let Ok(w) = serde_json::from_str::<Waiting>(text)
                && let Some(problem) = w.problem
            {
                refused.push((w.doc, problem));
            }
        }
        self.waiting.set(u32::try_from(all.len()).unwrap_or(u32::MAX));
        self.refused.set(refused);
        Ok(())
    }

    /// Keeps a document made now: in the documents and the outbox, at once. A sale or a return
    /// takes its receipt number (the register's next) in the same storage transaction; answers
    /// the document as kept.
    pub async fn record(self, doc: Document) -> Result<Document, String> {
        let (prefix, floor) = self
            .data
            .with_untracked(|d| d.as_ref().map(|d| (d.register.prefix.clone(), d.register.last_sequence)))
            .ok_or("the till has no data yet")?;
        let db = db().map_err(|e| e.0)?;
        let numbered = matches!(doc, Document::Sale(_) | Document::Return(_));
        let kept = std::rc::Rc::new(std::cell::RefCell::new(None::<Result<Document, String>>));
        let slot = kept.clone();
        let writes = move |n: i64| {
            let mut doc = doc;
            if numbered {
                let receipt = commerce::pos::receipt_number(&prefix, n);
                match &mut doc {
                    Document::Sale(s) => s.receipt = receipt,
                    Document::Return(r) => r.receipt = receipt,
                    _ => {}
                }
            }
            let checked = doc.check(&prefix, web::now()).map(|()| doc);
            let writes = match &checked {
                Ok(doc) => entries(doc),
                Err(_) => Vec::new(),
            };
            *slot.borrow_mut() = Some(checked);
            writes
        };
        let key = if numbered { "sequence" } else { "made" };
        db.next_number(key, if numbered { floor } else { 0 }, writes).await.map_err(|e| e.0)?;
        let doc = kept.borrow_mut().take().ok_or("the document was not made")??;
        if numbered {
            self.last_receipt.set(Some(doc.id()));
            let _ = self.keep("last_receipt", &Some(doc.id())).await;
        }
        let _ = self.count_waiting().await;
        self.sync_soon();
        Ok(doc)
    }

    /// Sends what waits, soon, without holding up the cashier.
    pub fn sync_soon(self) {
        leptos::task::spawn_local(async move {
            crate::sync::run(self).await;
        });
    }

    /// A document this till made, by id.
    pub async fn document(self, id: Uuid) -> Option<Document> {
        let text = db().ok()?.get(DOCS, &id.to_string()).await.ok()??;
        serde_json::from_str(&text).ok()
    }

    /// Every document this till made, oldest first.
    pub async fn documents(self) -> Vec<Document> {
        let Ok(db) = db() else { return Vec::new() };
        let mut all: Vec<Document> = db
            .all(DOCS)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(_, t)| serde_json::from_str(&t).ok())
            .collect();
        all.sort_by_key(|d| (d.made_at(), d.id()));
        all
    }

    /// Applies the server's answer to a batch: what it holds for good leaves the outbox;
    /// what it refused stays, with why, and is sent again later.
    pub async fn settle(self, sent: &[(String, Waiting)], receipt: &Receipt) -> Result<(), StoreError> {
        let mut writes = Vec::new();
        for (key, waiting) in sent {
            let Some(outcome) = receipt.outcomes.iter().find(|o: &&Outcome| o.id == waiting.doc.id()) else {
                continue;
            };
            if outcome.status.settled() {
                writes.push(Write { store: OUTBOX, key: key.clone(), value: None });
            } else {
                let refused = Waiting {
                    doc: waiting.doc.clone(),
                    problem: Some(outcome.problem.clone()),
                    retry_at: js_sys::Date::now() + 5.0 * 60_000.0,
                };
                let text = serde_json::to_string(&refused).map_err(|e| StoreError(e.to_string()))?;
                writes.push(Write { store: OUTBOX, key: key.clone(), value: Some(text) });
            }
            if outcome.status == Status::SetAside {
                self.notice.set(Some(format!("A manager set aside a document: {}", outcome.problem)));
            }
        }
        if !writes.is_empty() {
            db()?.write(&writes).await?;
        }
        self.count_waiting().await
    }

    /// Downloads what changed since the last time (everything, the first time), part by part,
    /// and keeps it.
    pub async fn refresh(self) -> Result<(), Failure> {
        let Some(credential) = credential_now().await else { return Ok(()) };
        let mut data = self.data.get_untracked();
        let since = data.as_ref().map(|d| d.as_of);
        let mut after: Option<Uuid> = None;
        loop {
            let mut path = "/api/v1/pos/till".to_owned();
            let mut query = Vec::new();
            if let Some(since) = since {
                query.push(format!(
                    "since={}",
                    since.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B")
                ));
            }
            if let Some(after) = after {
                query.push(format!("after={after}"));
            }
            if !query.is_empty() {
                path = format!("{path}?{}", query.join("&"));
            }
            let part: TillData = match web::call(&path, Some(&credential), None::<&()>).await {
                Ok(part) => part,
                Err(Failure::Refused(401 | 403, detail)) => {
                    self.shut_out.set(true);
                    return Err(Failure::Refused(401, detail));
                }
                Err(other) => return Err(other),
            };
            after = part.more_after;
            data = Some(match data {
                Some(old) => merge(old, part),
                None => part,
            });
            if after.is_none() {
                break;
            }
        }
        if let Some(data) = data {
            let _ = self.keep("data", &data).await;
            self.data.set(Some(data));
        }
        Ok(())
    }

    /// The product and variant a scanned or typed code names: a barcode, or a SKU.
    pub fn by_code(self, code: &str) -> Option<(TillProduct, TillVariant)> {
        let code = code.trim();
        if code.is_empty() {
            return None;
        }
        self.data.with_untracked(|d| {
            let d = d.as_ref()?;
            d.products.iter().find_map(|p| {
                p.variants
                    .iter()
                    .find(|v| v.barcode.as_deref() == Some(code) || v.sku.eq_ignore_ascii_case(code))
                    .map(|v| (p.clone(), v.clone()))
            })
        })
    }
}

/// A document's storage writes: itself, and its place in the outbox.
fn entries(doc: &Document) -> Vec<Write> {
    let id = doc.id().to_string();
    let text = serde_json::to_string(doc).unwrap_or_default();
    let waiting = Waiting { doc: doc.clone(), problem: None, retry_at: 0.0 };
    let key = format!("{:015.0}-{id}", js_sys::Date::now());
    vec![
        Write { store: DOCS, key: id, value: Some(text) },
        Write { store: OUTBOX, key, value: serde_json::to_string(&waiting).ok() },
    ]
}

/// The register's credential, as kept.
pub async fn credential_now() -> Option<String> {
    db().ok()?.get(META, "credential").await.ok().flatten()
}

/// A value kept under `key` of the meta store.
async fn read<T: for<'de> Deserialize<'de>>(db: &Db, key: &str) -> Result<Option<T>, StoreError> {
    Ok(db.get(META, key).await?.and_then(|t| serde_json::from_str(&t).ok()))
}

/// What the till had, with a part of what the server sent laid over it.
fn merge(mut old: TillData, part: TillData) -> TillData {
    for product in part.products {
        old.products.retain(|p| p.id != product.id);
        if product.on_sale {
            old.products.push(product);
        }
    }
    old.products.sort_by_cached_key(|p| p.name.to_lowercase());
    for customer in part.customers {
        old.customers.retain(|c| c.id != customer.id);
        if !customer.gone {
            old.customers.push(customer);
        }
    }
    if !part.favourites.is_empty() || part.whole {
        old.favourites = part.favourites;
    }
    old.cashiers = part.cashiers;
    old.register = part.register;
    old.business = part.business;
    old.as_of = part.as_of;
    old.whole = true;
    old
}

/// Whether a sale is one of those made in `shift`.
pub fn in_shift(doc: &Document, shift: Uuid) -> bool {
    doc.shift() == Some(shift)
}

/// The sale a receipt number names, among this till's documents.
pub fn sale_by_receipt(documents: &[Document], receipt: &str) -> Option<Sale> {
    let receipt = receipt.trim().to_uppercase();
    documents.iter().find_map(|d| match d {
        Document::Sale(s) if s.receipt == receipt => Some(s.clone()),
        _ => None,
    })
}
