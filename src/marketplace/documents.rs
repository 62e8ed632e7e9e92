//! A vendor's documents: a CAC certificate, an identity card, proof of address. Kept in the media
//! store under a private key (`private/…`, which the public `/media/` address never serves) and
//! given only to the operator's staff who see vendors and to the vendor's own staff, through
//! [`open`]. A file is written before its row; a removed row queues its file for deletion in
//! the same transaction.

use serde_json::json;
use uuid::Uuid;

use super::vendor::{self, Side};
use super::{DocumentKind, VendorDocument, VendorStatus};
use crate::audit::{self, Change};
use crate::base::{Actor, VendorId};
use crate::media::MediaStore;
use crate::{Clash, Error};

/// The largest document taken.
pub const LARGEST_DOCUMENT: usize = 10 * 1024 * 1024;

/// Where private files' keys begin: never served at `/media/`.
pub const PRIVATE: &str = "private/";

/// A document as uploaded.
pub struct Upload {
    /// What it shows.
    pub kind: String,
    /// The file's name as the browser gave it.
    pub file_name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A document's file, for the one who may see it.
#[derive(Debug)]
pub struct Opened {
    /// The file's name as uploaded.
    pub file_name: String,
    /// Its media type.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Keeps a document of `vendor`'s, given by its own staff or by the operator's (`ManageVendors`):
/// a PDF, JPEG or PNG (told by its first bytes, not its name) of at most 10 MB. A rejected
/// vendor's documents are closed.
pub async fn upload(
    db: &sqlx::PgPool,
    media: &dyn MediaStore,
    actor: &Actor,
    vendor: VendorId,
    upload: Upload,
) -> Result<VendorDocument, Error> {
    let (tenant, side) = vendor::side(actor, vendor, true)?;
    let kind = DocumentKind::from_code(upload.kind.trim())
        .ok_or_else(|| Error::invalid("kind", "choose what the document shows"))?;
    let (content_type, extension) = sniff(&upload.bytes)?;
    let file_name = tidy_name(&upload.file_name, extension);
    let id = Uuid::now_v7();
    let key = format!("{PRIVATE}{}/{}/{}.{extension}", tenant.0, vendor.0, id);
    let who = vendor::who(actor);
    let bytes = i32::try_from(upload.bytes.len()).map_err(|_| Error::Internal)?;
    // The vendor must exist (and be the actor's) before a file is written for it.
    let status = crate::db::in_tenant_tx(db, tenant, async |tx| {
        let status =
            sqlx::query_scalar!("SELECT status FROM vendors WHERE tenant_id = $1 AND id = $2", tenant.0, vendor.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| Error::not_found("vendor"))?;
        Ok(status)
    })
    .await?;
    if status == VendorStatus::Rejected.code() {
        return Err(Error::conflict(Clash::WrongState, "This application was refused; its documents are closed."));
    }
    media.put(&key, upload.bytes).await?;
    let saved = crate::db::in_tenant_tx(db, tenant, async |tx| {
        sqlx::query!(
            "INSERT INTO vendor_documents (tenant_id, id, vendor_id, kind, file_name, file_key, content_type, size_bytes,
                                           uploaded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            tenant.0,
            id,
            vendor.0,
            kind.code(),
            file_name,
            key,
            content_type,
            bytes,
            who,
        )
        .execute(&mut *tx)
        .await?;
        let note = format!("Document added: {} ({file_name}).", kind.label());
        vendor::event(tx, tenant, vendor, &who, side == Side::Operator, None, None, &note).await?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "vendor document",
                entity_id: id.to_string(),
                action: "upload",
                before: None,
                after: Some(json!({"vendor": vendor.0, "kind": kind.code(), "file_name": file_name, "bytes": bytes})),
            },
        )
        .await?;
        let uploaded_at = sqlx::query_scalar!("SELECT now() AS \"now!\"").fetch_one(&mut *tx).await?;
        Ok(VendorDocument {
            id,
            kind,
            file_name: file_name.clone(),
            content_type: content_type.to_owned(),
            size_bytes: bytes,
            uploaded_by: who.clone(),
            uploaded_at,
        })
    })
    .await;
    if saved.is_err() {
        // The row was not written, so nothing will ever point at the file.
        let _ = media.delete(&key).await;
    }
    saved
}

/// A document's file, for the operator's staff who see vendors and the vendor's own staff;
/// another vendor's reads as not found.
pub async fn open(
    db: &sqlx::PgPool,
    media: &dyn MediaStore,
    actor: &Actor,
    vendor: VendorId,
    document: Uuid,
) -> Result<Opened, Error> {
    let (tenant, _) = vendor::side(actor, vendor, false)?;
    let row = crate::db::in_tenant_tx(db, tenant, async |tx| {
        Ok(sqlx::query!(
            "SELECT file_name, file_key, content_type FROM vendor_documents
              WHERE tenant_id = $1 AND vendor_id = $2 AND id = $3",
            tenant.0,
            vendor.0,
            document
        )
        .fetch_optional(&mut *tx)
        .await?)
    })
    .await?
    .ok_or_else(|| Error::not_found("document"))?;
    let bytes = media.get(&row.file_key).await?.ok_or_else(|| Error::not_found("document"))?;
    Ok(Opened { file_name: row.file_name, content_type: row.content_type, bytes })
}

/// Removes a document (its file goes after the commit, by the worker). The vendor's staff may
/// remove their own while the vendor is not yet approved; the operator's, any.
pub async fn remove(db: &sqlx::PgPool, actor: &Actor, vendor: VendorId, document: Uuid) -> Result<(), Error> {
    let (tenant, side) = vendor::side(actor, vendor, true)?;
    crate::db::in_tenant_tx(db, tenant, async |tx| {
        let status = sqlx::query_scalar!(
            "SELECT status FROM vendors WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            tenant.0,
            vendor.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("vendor"))?;
        if side == Side::Vendor && !matches!(status.as_str(), "applied" | "changes_requested") {
            return Err(Error::conflict(
                Clash::WrongState,
                "Documents of an approved vendor stay on file; upload a newer one instead.",
            ));
        }
        let removed = sqlx::query!(
            "DELETE FROM vendor_documents WHERE tenant_id = $1 AND vendor_id = $2 AND id = $3
             RETURNING kind, file_name",
            tenant.0,
            vendor.0,
            document
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("document"))?;
        let kind = DocumentKind::from_code(&removed.kind).unwrap_or(DocumentKind::Other);
        let note = format!("Document removed: {} ({}).", kind.label(), removed.file_name);
        vendor::event(tx, tenant, vendor, &vendor::who(actor), side == Side::Operator, None, None, &note).await?;
        audit::record(
            tx,
            tenant,
            actor,
            Change {
                entity: "vendor document",
                entity_id: document.to_string(),
                action: "remove",
                before: Some(json!({"vendor": vendor.0, "kind": removed.kind, "file_name": removed.file_name})),
                after: None,
            },
        )
        .await
    })
    .await
}

/// The document's media type and extension, told by its first bytes; anything but a PDF, a
/// JPEG or a PNG, an empty file and one past the limit are refused.
fn sniff(bytes: &[u8]) -> Result<(&'static str, &'static str), Error> {
    if bytes.is_empty() {
        return Err(Error::invalid("file", "choose a file to upload"));
    }
    if bytes.len() > LARGEST_DOCUMENT {
        return Err(Error::invalid("file", format!("the file is larger than {} MB", LARGEST_DOCUMENT / 1024 / 1024)));
    }
    if bytes.starts_with(b"%PDF-") {
        Ok(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok(("image/png", "png"))
    } else {
        Err(Error::invalid("file", "upload a PDF, or a photo as JPEG or PNG"))
    }
}

/// The uploaded file's name as it is shown: its last part (no folders), printable, at most 120
/// characters; a document without one is named by its kind of file.
fn tidy_name(typed: &str, extension: &str) -> String {
    let last = typed.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    let name = name.trim();
    if name.is_empty() { format!("document.{extension}") } else { name.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_known_by_its_first_bytes_not_its_name() {
        assert_eq!(sniff(b"%PDF-1.7\n...").expect("pdf").0, "application/pdf");
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).expect("jpeg").1, "jpg");
        assert!(sniff(b"<html><script>alert(1)</script>").is_err());
        assert!(sniff(b"").is_err());
        assert!(sniff(&vec![b'%'; LARGEST_DOCUMENT + 1]).is_err());
    }

    #[test]
    fn a_files_name_keeps_its_last_part_and_nothing_unprintable() {
        assert_eq!(tidy_name("C:\\Users\\bola\\CAC cert.pdf", "pdf"), "CAC cert.pdf");
        assert_eq!(tidy_name("../../etc/passwd\0", "pdf"), "passwd");
        assert_eq!(tidy_name("  ", "png"), "document.png");
    }
}
