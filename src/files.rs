//! CSV in and out: products with their variants (one row a variant, rows of one product
//! grouped by its name) and stock levels (SKU, location, on hand). An import runs in one
//! transaction: a file with any bad row, or one the merchant cancels, leaves nothing behind;
//! a preview runs the same checks and rolls back. Progress and the report are kept in
//! `import_jobs`, written from a connection of their own so they show while the work runs.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The columns of the product file, in the order an export writes them.
pub const PRODUCT_COLUMNS: [&str; 22] = [
    "name",
    "sku",
    "barcode",
    "price",
    "compare_at_price",
    "cost",
    "option1_name",
    "option1_value",
    "option2_name",
    "option2_value",
    "option3_name",
    "option3_value",
    "brand",
    "category",
    "status",
    "tax_class",
    "weight_grams",
    "length_mm",
    "width_mm",
    "height_mm",
    "vendor",
    "description",
];

/// The columns of the stock file.
pub const STOCK_COLUMNS: [&str; 5] = ["sku", "location", "on_hand", "reorder_point", "reorder_quantity"];

/// A file to fill in: the columns a file of `kind` takes, and one row that shows how they are
/// written (a product of two sizes; a level at the first shop every business has).
pub fn template(kind: ImportKind) -> String {
    match kind {
        ImportKind::Products => format!(
            "{}\n\
             Mama Gold Rice,RICE-5KG,6151234567891,9500,10000,8200,Size,5kg,,,,,Mama Gold,,active,standard,5000,,,,,Long-grain parboiled rice\n\
             Mama Gold Rice,RICE-10KG,,18200,,15900,Size,10kg,,,,,Mama Gold,,active,standard,10000,,,,,Long-grain parboiled rice\n",
            PRODUCT_COLUMNS.join(",")
        ),
        ImportKind::Stock => format!("{}\nRICE-5KG,Main shop,24,5,20\n", STOCK_COLUMNS.join(",")),
    }
}

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    /// Products with their variants.
    Products,
    /// Stock levels.
    Stock,
}

impl ImportKind {
    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Products => "products",
            Self::Stock => "stock",
        }
    }
}

/// A problem with one cell (or row) of the file; `line` counts the header as line 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The line of the file.
    pub line: usize,
    /// The column's name, or empty when the whole row is at fault.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// What an import did, or (for a preview, or a file with errors) would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: usize,
    /// Products (or stock levels) created.
    pub created: usize,
    /// Products (or stock levels) changed.
    pub updated: usize,
    /// Every problem found; nothing is imported while there is one.
    pub errors: Vec<RowError>,
}

/// An import as the import page follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    /// Its id.
    pub id: Uuid,
    /// Products or stock.
    pub kind: String,
    /// Whether it is a preview (always rolled back).
    pub dry_run: bool,
    /// `running`, `cancelling`, `done`, `failed` or `cancelled`.
    pub status: String,
    /// Data rows in the file.
    pub total_rows: i32,
    /// Rows worked through so far.
    pub done_rows: i32,
    /// The report, once finished.
    pub report: Option<ImportReport>,
}

#[cfg(feature = "server")]
pub use server::{begin, cancel, export_products, export_stock, job, run};

#[cfg(feature = "server")]
mod server {
    use std::collections::{HashMap, HashSet};

    use rust_decimal::Decimal;
    use serde_json::json;
    use sqlx::PgConnection;
    use uuid::Uuid;

    use super::{ImportJob, ImportKind, ImportReport, PRODUCT_COLUMNS, RowError, STOCK_COLUMNS};
    use crate::base::{Actor, LocationId, Permission, Shops, TenantId, VendorId};
    use crate::catalog::{
        CategoryId, Keep, Product, ProductId, ProductInput, ProductStatus, TaxClass, Variant, VariantId, VariantInput,
        parse_price,
    };
    use crate::db::tenant_tx;
    use crate::inventory::MovementReason;
    use crate::{Clash, Error};

    /// How often (in rows) progress is written and a cancellation looked for.
    const PROGRESS_EVERY: usize = 250;

    /// Opens an import of `text` (checking who may, and that it has the right header) and answers
    /// the job to hand to [`run`] and to follow with [`job`].
    pub async fn begin(
        db: &sqlx::PgPool,
        actor: &Actor,
        kind: ImportKind,
        text: &str,
        dry_run: bool,
    ) -> Result<Uuid, Error> {
        let scope = actor.require(match kind {
            ImportKind::Products => Permission::ManageCatalog,
            ImportKind::Stock => Permission::ManageInventory,
        })?;
        scope.operator_only("import files of the whole catalog")?;
        let tenant = scope.tenant;
        let (_, rows) = read_csv(text, kind)?;
        let id = Uuid::now_v7();
        let mut tx = tenant_tx(db, tenant).await?;
        sqlx::query!(
            "INSERT INTO import_jobs (tenant_id, id, kind, dry_run, total_rows, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
            tenant.0,
            id,
            kind.code(),
            dry_run,
            i32::try_from(rows.len()).unwrap_or(i32::MAX),
            actor.label()
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Works through an import opened by [`begin`] and records its outcome on the job.
    pub async fn run(db: &sqlx::PgPool, actor: &Actor, job: Uuid, kind: ImportKind, text: &str, dry_run: bool) {
        let Some(tenant) = actor.tenant() else { return };
        let outcome = work(db, actor, tenant, job, kind, text, dry_run).await;
        let (status, report) = match outcome {
            Ok(report) => ("done", report),
            Err(Stop::Cancelled) => ("cancelled", ImportReport::default()),
            Err(Stop::Failed(error)) => {
                tracing::warn!(%error, "import failed");
                let row = RowError { line: 0, column: String::new(), message: error.to_string() };
                ("failed", ImportReport { errors: vec![row], ..ImportReport::default() })
            }
        };
        let finish = async {
            let mut tx = tenant_tx(db, tenant).await?;
            sqlx::query!(
                "UPDATE import_jobs SET status = $3, report = $4, done_rows = total_rows, finished_at = now()
                  WHERE tenant_id = $1 AND id = $2",
                tenant.0,
                job,
                status,
                serde_json::to_value(&report).unwrap_or_default()
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, Error>(())
        };
        if let Err(error) = finish.await {
            tracing::warn!(%error, "could not record the end of an import");
        }
    }

    /// Asks a running import to stop; it rolls back at its next check. Only someone who may
    /// start an import of its kind may stop one.
    pub async fn cancel(db: &sqlx::PgPool, actor: &Actor, job: Uuid) -> Result<(), Error> {
        let tenant = may_import_something(actor)?;
        let mut tx = tenant_tx(db, tenant).await?;
        let kind = sqlx::query_scalar!("SELECT kind FROM import_jobs WHERE tenant_id = $1 AND id = $2", tenant.0, job)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::not_found("import"))?;
        actor.require(permission_to_import(&kind))?;
        let changed = sqlx::query!(
            "UPDATE import_jobs SET status = 'cancelling' WHERE tenant_id = $1 AND id = $2 AND status = 'running'",
            tenant.0,
            job
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        if changed == 0 { Err(Error::conflict(Clash::WrongState, "This import has already finished.")) } else { Ok(()) }
    }

    /// An import's progress and, once finished, its report. An import that stopped reporting for
    /// ten minutes (its server went away) is shown as failed. Only someone who may start an
    /// import of its kind may follow one.
    pub async fn job(db: &sqlx::PgPool, actor: &Actor, job: Uuid) -> Result<ImportJob, Error> {
        let tenant = may_import_something(actor)?;
        let mut tx = tenant_tx(db, tenant).await?;
        let row = sqlx::query!(
            r#"SELECT id, kind, dry_run, total_rows, done_rows, report,
                      CASE WHEN status IN ('running', 'cancelling') AND created_at < now() - interval '10 minutes'
                           THEN 'failed' ELSE status END AS "status!"
                 FROM import_jobs WHERE tenant_id = $1 AND id = $2"#,
            tenant.0,
            job
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("import"))?;
        tx.commit().await?;
        actor.require(permission_to_import(&row.kind))?;
        Ok(ImportJob {
            id: row.id,
            kind: row.kind,
            dry_run: row.dry_run,
            status: row.status,
            total_rows: row.total_rows,
            done_rows: row.done_rows,
            report: row.report.and_then(|r| serde_json::from_value(r).ok()),
        })
    }

    /// The business of an actor who may import products or stock; `Forbidden` for anyone else.
    fn may_import_something(actor: &Actor) -> Result<TenantId, Error> {
        let scope = actor.require(Permission::ManageCatalog).or_else(|_| actor.require(Permission::ManageInventory))?;
        scope.operator_only("import files of the whole catalog")?;
        Ok(scope.tenant)
    }

    /// What it takes to start, follow or stop an import of this stored kind.
    fn permission_to_import(kind: &str) -> Permission {
        if kind == ImportKind::Stock.code() { Permission::ManageInventory } else { Permission::ManageCatalog }
    }

    /// Reads a whole import inside one transaction; commits only a real import without errors.
    async fn work(
        db: &sqlx::PgPool,
        actor: &Actor,
        tenant: TenantId,
        job: Uuid,
        kind: ImportKind,
        text: &str,
        dry_run: bool,
    ) -> Result<ImportReport, Stop> {
        let (header, rows) = read_csv(text, kind)?;
        let mut tx = tenant_tx(db, tenant).await?;
        let progress = Progress { db, tenant, job };
        let report = match kind {
            ImportKind::Products => {
                import_products(&mut tx, tenant, actor, header.into_iter().collect(), &rows, &progress).await?
            }
            ImportKind::Stock => import_stock(&mut tx, tenant, actor, &rows, &progress).await?,
        };
        if dry_run || !report.errors.is_empty() {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(report)
    }

    /// Why an import stopped short: the merchant cancelled it, or something failed.
    enum Stop {
        Cancelled,
        Failed(Error),
    }

    impl From<Error> for Stop {
        fn from(error: Error) -> Self {
            Self::Failed(error)
        }
    }

    impl From<sqlx::Error> for Stop {
        fn from(error: sqlx::Error) -> Self {
            Self::Failed(error.into())
        }
    }

    /// Writes progress from outside the import's transaction, and notices a cancellation.
    struct Progress<'a> {
        db: &'a sqlx::PgPool,
        tenant: TenantId,
        job: Uuid,
    }

    impl Progress<'_> {
        async fn at(&self, done: usize) -> Result<(), Stop> {
            let mut tx = tenant_tx(self.db, self.tenant).await?;
            let status = sqlx::query_scalar!(
                "UPDATE import_jobs SET done_rows = $3 WHERE tenant_id = $1 AND id = $2 RETURNING status",
                self.tenant.0,
                self.job,
                i32::try_from(done).unwrap_or(i32::MAX)
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            if status == "cancelling" { Err(Stop::Cancelled) } else { Ok(()) }
        }
    }

    /// A data row: its line in the file and its cells by column name.
    struct Row {
        line: usize,
        cells: HashMap<String, String>,
    }

    impl Row {
        fn get(&self, column: &str) -> &str {
            self.cells.get(column).map_or("", |v| v.trim())
        }
    }

    fn read_csv(text: &str, kind: ImportKind) -> Result<(Vec<String>, Vec<Row>), Error> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| Error::invalid("file", format!("the first line must name the columns ({e})")))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        if header.iter().any(|h| h.contains('\0')) {
            return Err(Error::invalid(
                "file",
                format!("line 1: the column names {}", crate::base::error::NUL_MESSAGE),
            ));
        }
        let required: &[&str] = match kind {
            ImportKind::Products => &["name", "sku", "price"],
            ImportKind::Stock => &["sku", "location", "on_hand"],
        };
        if let Some(missing) = required.iter().find(|r| !header.iter().any(|h| h == *r)) {
            return Err(Error::invalid(
                "file",
                format!("the first line must name the columns; \"{missing}\" is missing"),
            ));
        }
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| Error::invalid("file", format!("line {}: {e}", i + 2)))?;
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let line = record.position().map_or(i + 2, |p| usize::try_from(p.line()).unwrap_or(i + 2));
            // No text the suite keeps may hold a NUL: such a file is not a spreadsheet's, and
            // is refused whole before anything is read into the business.
            if let Some((column, _)) = header.iter().zip(record.iter()).find(|(_, cell)| cell.contains('\0')) {
                return Err(Error::invalid(
                    "file",
                    format!("line {line}, column {column}: the cell {}", crate::base::error::NUL_MESSAGE),
                ));
            }
            let cells = header.iter().cloned().zip(record.iter().map(str::to_owned)).collect();
            rows.push(Row { line, cells });
        }
        if rows.is_empty() {
            return Err(Error::invalid("file", "the file has a header but no rows"));
        }
        Ok((header, rows))
    }

    fn cell_error(line: usize, column: &str, message: impl Into<String>) -> RowError {
        RowError { line, column: column.to_owned(), message: message.into() }
    }

    /// What the product file's rows are read against: the business's category paths and vendor
    /// names (in lower case), and the columns the file has. A column the file leaves out leaves
    /// that field of a product already in the business as it is; only a column that is there,
    /// empty, clears an optional field.
    struct Lookups {
        categories: HashMap<String, CategoryId>,
        vendors: HashMap<String, VendorId>,
        columns: HashSet<String>,
    }

    impl Lookups {
        /// The cell's text when the file has the column; `None` when it does not.
        fn cell<'r>(&self, row: &'r Row, column: &str) -> Option<&'r str> {
            self.columns.contains(column).then(|| row.get(column))
        }
    }

    /// A product's rows parsed into its input, on top of `current` (the product these rows
    /// change, if the business has it already), or the errors of its cells.
    fn product_input(
        rows: &[&Row],
        lookups: &Lookups,
        current: Option<&Product>,
    ) -> Result<ProductInput, Vec<RowError>> {
        let first = rows[0];
        let mut errors = Vec::new();
        let has_options = lookups.columns.contains("option1_name");
        let options: Vec<String> = if has_options {
            (1..=3)
                .map(|n| first.get(&format!("option{n}_name")).to_owned())
                .take_while(|name| !name.is_empty())
                .collect()
        } else {
            current.map(|p| p.options.clone()).unwrap_or_default()
        };
        // An empty status or tax class means "as it is", or the default for a new product.
        let status = match lookups.cell(first, "status").unwrap_or_default() {
            "" => current.map_or(ProductStatus::Active, |p| p.status),
            code => ProductStatus::from_code(code).unwrap_or_else(|| {
                errors.push(cell_error(first.line, "status", "one of draft, active, archived"));
                ProductStatus::Draft
            }),
        };
        let tax_class = match lookups.cell(first, "tax_class").unwrap_or_default() {
            "" => current.map_or(TaxClass::Standard, |p| p.tax_class),
            code => TaxClass::from_code(code).unwrap_or_else(|| {
                errors.push(cell_error(first.line, "tax_class", "one of standard, zero, exempt"));
                TaxClass::Standard
            }),
        };
        let category = match lookups.cell(first, "category") {
            None => current.and_then(|p| p.category),
            Some("") => None,
            Some(path) => {
                let found = lookups.categories.get(&path.to_lowercase()).copied();
                if found.is_none() {
                    errors.push(cell_error(first.line, "category", format!("no category is called \"{path}\"")));
                }
                found
            }
        };
        let vendor = match lookups.cell(first, "vendor") {
            None => Keep::Unchanged,
            Some("") => Keep::To(None),
            Some(name) => {
                let found = lookups.vendors.get(&name.to_lowercase()).copied();
                if found.is_none() {
                    errors.push(cell_error(first.line, "vendor", format!("no vendor is called \"{name}\"")));
                }
                Keep::To(found)
            }
        };
        let text = |column: &str, kept: Option<&str>| -> String {
            lookups.cell(first, column).or(kept).unwrap_or_default().to_owned()
        };
        let options_read = has_options.then_some(options.len());
        let variants: Vec<VariantInput> = rows
            .iter()
            .map(|row| {
                let was = current.and_then(|p| p.variants.iter().find(|v| v.sku.eq_ignore_ascii_case(row.get("sku"))));
                variant_input(row, lookups, was, options_read, &mut errors)
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut variants = variants;
        // Variants the file leaves out stay as they are.
        if let Some(product) = current {
            let named: HashSet<String> = variants.iter().map(|v| v.sku.to_lowercase()).collect();
            variants.extend(
                product.variants.iter().filter(|v| !named.contains(&v.sku.to_lowercase())).map(Variant::as_input),
            );
        }
        let input = ProductInput {
            name: first.get("name").to_owned(),
            description: text("description", current.map(|p| p.description.as_str())),
            brand: text("brand", current.map(|p| p.brand.as_str())),
            category,
            status,
            tax_class,
            options,
            variants,
            vendor,
            featured: Keep::Unchanged,
        };
        input.checked().map_err(|error| file_errors(rows, error))
    }

    /// A refusal of a product's checks as the cells it points at: "variants[2].sku" names the
    /// third row of the product, column "sku".
    fn file_errors(rows: &[&Row], error: Error) -> Vec<RowError> {
        let first = rows[0].line;
        let problems = error.field_problems();
        if problems.is_empty() {
            return vec![cell_error(first, "", error.to_string())];
        }
        problems
            .into_iter()
            .map(|(field, message)| {
                let (line, column) = match field.strip_prefix("variants[").and_then(|rest| rest.split_once("].")) {
                    Some((i, column)) => {
                        (i.parse::<usize>().ok().and_then(|i| rows.get(i)).map_or(first, |r| r.line), column)
                    }
                    None => (first, field),
                };
                let column = match column {
                    "option_values" => "option1_value",
                    "dimensions_mm" => "length_mm",
                    other => other,
                };
                RowError { line, column: column.to_owned(), message: message.to_owned() }
            })
            .collect()
    }

    /// One row as a variant, on top of `was` (the variant of that SKU the product has, if any);
    /// `options` is how many option values to read, or none when the file has no option columns.
    fn variant_input(
        row: &Row,
        lookups: &Lookups,
        was: Option<&Variant>,
        options: Option<usize>,
        errors: &mut Vec<RowError>,
    ) -> VariantInput {
        let amount = |column: &str, kept: Option<Decimal>, errors: &mut Vec<RowError>| -> Option<Decimal> {
            match lookups.cell(row, column) {
                None => kept,
                Some("") => None,
                Some(text) => parse_price(text, column)
                    .map_err(|_| errors.push(cell_error(row.line, column, "an amount such as 1500 or 1500.50")))
                    .ok(),
            }
        };
        let price = amount("price", None, errors);
        if price.is_none() && row.get("price").is_empty() {
            errors.push(cell_error(row.line, "price", "every variant needs a price"));
        }
        let whole = |column: &str, kept: Option<i32>, errors: &mut Vec<RowError>| -> Option<i32> {
            match lookups.cell(row, column) {
                None => kept,
                Some("") => None,
                Some(text) => text
                    .parse()
                    .map_err(|_| errors.push(cell_error(row.line, column, "a whole number, such as 500")))
                    .ok(),
            }
        };
        let weight_grams = whole("weight_grams", was.and_then(|v| v.weight_grams), errors);
        let kept_sides = was.and_then(|v| v.dimensions_mm).map_or([None; 3], |d| d.map(Some));
        let sides = [("length_mm", kept_sides[0]), ("width_mm", kept_sides[1]), ("height_mm", kept_sides[2])]
            .map(|(column, kept)| whole(column, kept, errors));
        let dimensions_mm = match sides {
            [Some(l), Some(w), Some(h)] => Some([l, w, h]),
            [None, None, None] => None,
            _ => {
                errors.push(cell_error(row.line, "length_mm", "give length, width and height together, or none"));
                None
            }
        };
        VariantInput {
            id: was.map(|v| v.id),
            sku: row.get("sku").to_owned(),
            barcode: lookups
                .cell(row, "barcode")
                .map_or_else(|| was.and_then(|v| v.barcode.clone()).unwrap_or_default(), str::to_owned),
            option_values: match options {
                Some(count) => (1..=count).map(|n| row.get(&format!("option{n}_value")).to_owned()).collect(),
                None => was.map(|v| v.option_values.clone()).unwrap_or_default(),
            },
            price: price.unwrap_or_default(),
            compare_at_price: amount(
                "compare_at_price",
                was.and_then(|v| v.compare_at_price).map(|m| m.amount),
                errors,
            ),
            cost: amount("cost", was.and_then(|v| v.cost).map(|m| m.amount), errors),
            weight_grams,
            dimensions_mm,
        }
    }

    async fn import_products(
        tx: &mut PgConnection,
        tenant: TenantId,
        actor: &Actor,
        columns: HashSet<String>,
        rows: &[Row],
        progress: &Progress<'_>,
    ) -> Result<ImportReport, Stop> {
        let categories = crate::catalog::category::paths_in(tx, tenant)
            .await?
            .into_iter()
            .map(|(path, id)| (path.to_lowercase(), id))
            .collect();
        let vendors = sqlx::query!("SELECT id, lower(name) AS \"name!\" FROM vendors WHERE tenant_id = $1", tenant.0)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|v| (v.name, VendorId(v.id)))
            .collect();
        let lookups = Lookups { categories, vendors, columns };
        // Rows of one product, in the order the file first names them.
        let mut order: Vec<String> = Vec::new();
        let mut groups: HashMap<String, Vec<&Row>> = HashMap::new();
        let mut report = ImportReport { rows: rows.len(), ..ImportReport::default() };
        for row in rows {
            let name = row.get("name").to_lowercase();
            if name.is_empty() {
                report.errors.push(cell_error(row.line, "name", "every row needs the product's name"));
                continue;
            }
            if !groups.contains_key(&name) {
                order.push(name.clone());
            }
            groups.entry(name).or_default().push(row);
        }
        // Every SKU of the file already in use, in one query rather than one per product.
        let all_skus: Vec<String> = rows.iter().map(|r| r.get("sku").to_lowercase()).collect();
        let known: HashMap<String, Uuid> = sqlx::query!(
            r#"SELECT product_id, lower(sku) AS "sku!" FROM variants WHERE tenant_id = $1 AND lower(sku) = ANY($2)"#,
            tenant.0,
            &all_skus
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|v| (v.sku, v.product_id))
        .collect();
        let mut done = 0;
        for name in order {
            let group = &groups[&name];
            done += group.len();
            if done / PROGRESS_EVERY != (done - group.len()) / PROGRESS_EVERY {
                progress.at(done).await?;
            }
            let products: Vec<Uuid> =
                group.iter().filter_map(|r| known.get(&r.get("sku").to_lowercase())).copied().collect();
            let target = products.first().copied().map(ProductId);
            if products.iter().any(|p| Some(ProductId(*p)) != target) {
                report.errors.push(cell_error(group[0].line, "sku", "these SKUs belong to different products already"));
                continue;
            }
            let current = match target {
                Some(id) => Some(crate::catalog::product::read(tx, &crate::base::Scope::business(tenant), id).await?),
                None => None,
            };
            let input = match product_input(group, &lookups, current.as_ref()) {
                Ok(input) => input,
                Err(errors) => {
                    report.errors.extend(errors);
                    continue;
                }
            };
            match crate::catalog::product::save(tx, tenant, actor, target.map(|id| (id, None)), &input).await {
                Ok(_) if target.is_some() => report.updated += 1,
                Ok(_) => report.created += 1,
                // A clash with another product's SKU or barcode, found by the database.
                Err(Error::Invalid { field, message }) => {
                    let column = field.rsplit('.').next().unwrap_or(&field).to_owned();
                    report.errors.push(cell_error(group[0].line, &column, message));
                }
                Err(other) => return Err(other.into()),
            }
        }
        Ok(report)
    }

    /// The location a stock row names, if it is one the importer works at.
    fn place(row: &Row, locations: &HashMap<String, Uuid>, reach: &Shops) -> Result<Uuid, RowError> {
        let name = row.get("location");
        match locations.get(&name.to_lowercase()).copied() {
            None => Err(cell_error(row.line, "location", format!("no location is called \"{name}\""))),
            Some(id) if !reach.reach(LocationId(id)) => {
                Err(cell_error(row.line, "location", format!("\"{name}\" is not a location you work at")))
            }
            Some(id) => Ok(id),
        }
    }

    async fn import_stock(
        tx: &mut PgConnection,
        tenant: TenantId,
        actor: &Actor,
        rows: &[Row],
        progress: &Progress<'_>,
    ) -> Result<ImportReport, Stop> {
        // Someone bound to some locations imports stock there alone.
        let reach = actor.require(Permission::ManageInventory)?.shops;
        let locations: HashMap<String, Uuid> =
            sqlx::query!("SELECT id, name FROM locations WHERE tenant_id = $1", tenant.0)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|l| (l.name.to_lowercase(), l.id))
                .collect();
        let mut report = ImportReport { rows: rows.len(), ..ImportReport::default() };
        for (i, row) in rows.iter().enumerate() {
            if i > 0 && i % PROGRESS_EVERY == 0 {
                progress.at(i).await?;
            }
            let location = match place(row, &locations, &reach) {
                Ok(location) => location,
                Err(error) => {
                    report.errors.push(error);
                    continue;
                }
            };
            let (on_hand, point, quantity) = match stock_numbers(row) {
                Ok(numbers) => numbers,
                Err(errors) => {
                    report.errors.extend(errors);
                    continue;
                }
            };
            let variant = sqlx::query!(
                r#"SELECT v.id, s.on_hand AS "on_hand?" FROM variants v
                     LEFT JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id AND s.location_id = $3
                    WHERE v.tenant_id = $1 AND lower(v.sku) = lower($2)"#,
                tenant.0,
                row.get("sku"),
                location
            )
            .fetch_optional(&mut *tx)
            .await?;
            let Some(variant) = variant else {
                report.errors.push(cell_error(row.line, "sku", format!("no product has the SKU {}", row.get("sku"))));
                continue;
            };
            let before = variant.on_hand.unwrap_or(0);
            if on_hand != before {
                // Both are bounded (the cell above, the level by the database), so this fits;
                // checked all the same, since a wrong answer would be silent.
                let Some(quantity) = on_hand.checked_sub(before) else {
                    report.errors.push(cell_error(
                        row.line,
                        "on_hand",
                        format!("on hand is {before}; too far from it"),
                    ));
                    continue;
                };
                let m = crate::inventory::ledger::Move {
                    variant: VariantId(variant.id),
                    location: LocationId(location),
                    quantity,
                    reason: MovementReason::Count,
                    reference: "import",
                    unit_cost: None,
                    note: "stock import",
                };
                match crate::inventory::ledger::apply(tx, tenant, actor, m).await {
                    Ok(_) => {}
                    // Past the bound on on-hand: nothing was written; the file is reported.
                    Err(Error::Invalid { message, .. }) => {
                        report.errors.push(cell_error(row.line, "on_hand", message));
                        continue;
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            if point.is_some() || quantity.is_some() {
                sqlx::query!(
                    "UPDATE stock_levels SET reorder_point = coalesce($4, reorder_point), reorder_quantity = coalesce($5, reorder_quantity)
                      WHERE tenant_id = $1 AND variant_id = $2 AND location_id = $3",
                    tenant.0,
                    variant.id,
                    location,
                    point,
                    quantity
                )
                .execute(&mut *tx)
                .await?;
            }
            if variant.on_hand.is_some() { report.updated += 1 } else { report.created += 1 }
        }
        crate::audit::record(
            tx,
            tenant,
            actor,
            crate::audit::Change {
                entity: "stock import",
                entity_id: progress.job.to_string(),
                action: "imported",
                before: None,
                after: Some(json!({ "rows": report.rows })),
            },
        )
        .await?;
        Ok(report)
    }

    /// A stock row's on-hand and reorder numbers, or the errors of its cells.
    fn stock_numbers(row: &Row) -> Result<(i32, Option<i32>, Option<i32>), Vec<RowError>> {
        let number = |column: &str| -> Result<Option<i32>, RowError> {
            match row.get(column) {
                "" => Ok(None),
                text => text
                    .parse::<i32>()
                    .ok()
                    .filter(|n| (0..=crate::inventory::MAX_UNITS).contains(n))
                    .map(Some)
                    .ok_or_else(|| cell_error(row.line, column, "a whole number of units from 0 to 1,000,000")),
            }
        };
        match (number("on_hand"), number("reorder_point"), number("reorder_quantity")) {
            (Ok(Some(n)), Ok(p), Ok(q)) => Ok((n, p, q)),
            (Ok(None), _, _) => Err(vec![cell_error(row.line, "on_hand", "how many are there now?")]),
            (a, b, c) => Err([a.err(), b.err(), c.err()].into_iter().flatten().collect()),
        }
    }

    /// Every variant of the business as rows of the product file. Cost prices are filled in only
    /// for those who manage the catalog; anyone else who may see products gets the column empty.
    pub async fn export_products(db: &sqlx::PgPool, actor: &Actor) -> Result<String, Error> {
        let scope = actor.require(Permission::ViewCatalog)?;
        scope.operator_only("download the whole catalog")?;
        let tenant = scope.tenant;
        let show_cost = actor.can(Permission::ViewCosts);
        let mut tx = tenant_tx(db, tenant).await?;
        let categories: HashMap<CategoryId, String> = crate::catalog::category::paths_in(&mut tx, tenant)
            .await?
            .into_iter()
            .map(|(path, id)| (id, path))
            .collect();
        let rows = sqlx::query!(
            r#"SELECT p.name, v.sku, v.barcode, v.price, v.compare_at_price, v.cost, p.options, v.option_values, p.brand,
                      p.category_id, p.status, p.tax_class, v.weight_grams, v.length_mm, v.width_mm, v.height_mm,
                      vd.name AS "vendor?", p.description
                 FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                 LEFT JOIN vendors vd ON vd.tenant_id = p.tenant_id AND vd.id = p.vendor_id
                WHERE v.tenant_id = $1 ORDER BY lower(p.name), p.id, v.position"#,
            tenant.0
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        write(&mut out, PRODUCT_COLUMNS.iter().map(|c| (*c).to_owned()))?;
        for r in rows {
            let option = |n: usize| {
                (r.options.get(n).cloned().unwrap_or_default(), r.option_values.get(n).cloned().unwrap_or_default())
            };
            let ((o1, v1), (o2, v2), (o3, v3)) = (option(0), option(1), option(2));
            let amount = |d: Option<Decimal>| d.map(|d| crate::base::money::exact(d).to_string()).unwrap_or_default();
            let whole = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
            write(
                &mut out,
                [
                    r.name,
                    r.sku,
                    r.barcode.unwrap_or_default(),
                    amount(Some(r.price)),
                    amount(r.compare_at_price),
                    amount(r.cost.filter(|_| show_cost)),
                    o1,
                    v1,
                    o2,
                    v2,
                    o3,
                    v3,
                    r.brand,
                    r.category_id.and_then(|c| categories.get(&CategoryId(c)).cloned()).unwrap_or_default(),
                    r.status,
                    r.tax_class,
                    whole(r.weight_grams),
                    whole(r.length_mm),
                    whole(r.width_mm),
                    whole(r.height_mm),
                    r.vendor.unwrap_or_default(),
                    r.description,
                ],
            )?;
        }
        finish(out)
    }

    /// Every stock level of the business as rows of the stock file.
    pub async fn export_stock(db: &sqlx::PgPool, actor: &Actor) -> Result<String, Error> {
        let scope = actor.require(Permission::ViewInventory)?;
        scope.operator_only("download the whole stock file")?;
        let shops = scope.shops.ids();
        let mut tx = tenant_tx(db, scope.tenant).await?;
        let rows = sqlx::query!(
            "SELECT v.sku, l.name AS location, s.on_hand, s.reorder_point, s.reorder_quantity
               FROM stock_levels s
               JOIN variants v ON v.tenant_id = s.tenant_id AND v.id = s.variant_id
               JOIN locations l ON l.tenant_id = s.tenant_id AND l.id = s.location_id
              WHERE s.tenant_id = $1 AND ($2::uuid[] IS NULL OR s.location_id = ANY($2))
              ORDER BY v.sku, l.name",
            scope.tenant.0,
            shops.as_deref(),
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        write(&mut out, STOCK_COLUMNS.iter().map(|c| (*c).to_owned()))?;
        for r in rows {
            write(
                &mut out,
                [r.sku, r.location, r.on_hand.to_string(), r.reorder_point.to_string(), r.reorder_quantity.to_string()],
            )?;
        }
        finish(out)
    }

    fn write(out: &mut csv::Writer<Vec<u8>>, cells: impl IntoIterator<Item = String>) -> Result<(), Error> {
        out.write_record(cells.into_iter().map(|c| crate::base::sheet::safe_cell(&c))).map_err(|e| {
            tracing::error!(%e, "writing CSV failed");
            Error::Internal
        })
    }

    fn finish(out: csv::Writer<Vec<u8>>) -> Result<String, Error> {
        let bytes = out.into_inner().map_err(|_| Error::Internal)?;
        String::from_utf8(bytes).map_err(|_| Error::Internal)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_file_without_the_needed_columns_is_refused_by_name() {
            let refused = read_csv("name,price\nRice,900\n", ImportKind::Products);
            assert!(matches!(refused, Err(Error::Invalid { message, .. }) if message.contains("\"sku\" is missing")));
            let (_, rows) = read_csv("\u{feff}Name,SKU,Price\nRice,R-1,900\n\n", ImportKind::Products).unwrap();
            assert_eq!((rows.len(), rows[0].line, rows[0].get("sku")), (1, 2, "R-1"));
        }
    }
}
