//! Where uploaded files live: pictures of products, for now.
//!
//! The domain sees a [`MediaStore`]: put bytes under a key, get them back, delete them. The
//! one built in, [`DiskStore`], keeps them under a folder of the data directory; a store
//! backed by an S3-compatible bucket implements the same three calls. Keys are made by the
//! application (`<tenant>/<id>.jpg`), never taken from a request as they are.

pub mod picture;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use crate::Error;

/// What a store's calls return.
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// A place to keep files by key.
pub trait MediaStore: Send + Sync {
    /// Keeps `bytes` under `key`, replacing what was there.
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> Pending<'a, ()>;
    /// The bytes kept under `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> Pending<'a, Option<Vec<u8>>>;
    /// Forgets `key`; forgetting a key that is not there is not an error.
    fn delete<'a>(&'a self, key: &'a str) -> Pending<'a, ()>;
}

/// The store the application was started with.
pub type Media = Arc<dyn MediaStore>;

/// Where a picture's thumbnail is kept, beside the picture.
pub fn thumbnail_key(key: &str) -> String {
    format!("thumbs/{key}")
}

/// The media type to serve a key's bytes with, from its extension.
pub fn content_type(key: &str) -> &'static str {
    match key.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Whether `key` is one the application makes: lowercase letters, digits and dashes in
/// slash-separated parts, the last with one extension. Nothing that could leave the store's
/// folder (`..`, a leading `/`, a backslash) passes.
pub fn is_key(key: &str) -> bool {
    let part = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let (folders, file) = key.rsplit_once('/').unwrap_or(("", key));
    let Some((stem, ext)) = file.split_once('.') else { return false };
    key.len() <= 200 && part(stem) && part(ext) && (folders.is_empty() || folders.split('/').all(part))
}

/// Files in a folder: `<root>/<key>`.
#[derive(Clone, Debug)]
pub struct DiskStore {
    root: PathBuf,
}

impl DiskStore {
    /// A store keeping its files under `root` (made when the first file is kept).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Its folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> Result<PathBuf, Error> {
        if is_key(key) { Ok(self.root.join(key)) } else { Err(Error::not_found("file")) }
    }
}

fn failed(what: &str, key: &str, error: &std::io::Error) -> Error {
    tracing::error!(%error, key, "{what} a stored file failed");
    Error::Internal
}

impl MediaStore for DiskStore {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> Pending<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            if let Some(folder) = path.parent() {
                tokio::fs::create_dir_all(folder).await.map_err(|e| failed("writing", key, &e))?;
            }
            // Written aside and renamed, so a reader never sees half a file.
            let partial = path.with_extension(format!("{}.part", uuid::Uuid::now_v7().simple()));
            tokio::fs::write(&partial, bytes).await.map_err(|e| failed("writing", key, &e))?;
            tokio::fs::rename(&partial, &path).await.map_err(|e| failed("writing", key, &e))
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> Pending<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let Ok(path) = self.path(key) else { return Ok(None) };
            match tokio::fs::read(path).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(failed("reading", key, &e)),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> Pending<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            match tokio::fs::remove_file(path).await {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(failed("deleting", key, &e)),
                _ => Ok(()),
            }
        })
    }
}

/// Deletes the files of pictures removed from the catalog (queued by the database when their
/// rows go, whether one picture was removed or its product deleted), up to `limit` at a time;
/// answers how many. Several instances may run it at once: each key is taken once.
pub async fn delete_discarded(db: &sqlx::PgPool, media: &dyn MediaStore, limit: i32) -> Result<usize, Error> {
    let keys = sqlx::query_scalar!(r#"SELECT key AS "key!" FROM take_discarded_media($1) AS key"#, limit)
        .fetch_all(db)
        .await?;
    for key in &keys {
        // A file that cannot be deleted now only takes space; it is logged and not retried.
        let _ = media.delete(key).await;
        let _ = media.delete(&thumbnail_key(key)).await;
    }
    Ok(keys.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_keys_the_application_makes_pass() {
        assert!(is_key("0190a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b/0190a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c.jpg"));
        assert!(is_key("thumbs/abc/def.jpg"));
        assert!(is_key("demo.svg"));
        for bad in
            ["../etc/passwd.jpg", "/abs/x.jpg", "a//b.jpg", "a/b", "a/.jpg", "A/b.jpg", "a\\b.jpg", "a/b.jpg.", ""]
        {
            assert!(!is_key(bad), "{bad}");
        }
        assert!(!is_key(&format!("{}.jpg", "a".repeat(200))));
    }

    #[tokio::test]
    async fn a_disk_store_keeps_gives_back_and_forgets() {
        let root = std::env::temp_dir().join(format!("sc1-media-test-{}", uuid::Uuid::now_v7()));
        let store = DiskStore::new(&root);
        store.put("t/one.jpg", b"picture".to_vec()).await.unwrap();
        assert_eq!(store.get("t/one.jpg").await.unwrap().as_deref(), Some(&b"picture"[..]));
        assert_eq!(store.get("t/two.jpg").await.unwrap(), None);
        assert_eq!(store.get("../one.jpg").await.unwrap(), None, "a bad key is simply not there");
        store.delete("t/one.jpg").await.unwrap();
        store.delete("t/one.jpg").await.unwrap();
        assert_eq!(store.get("t/one.jpg").await.unwrap(), None);
        assert_eq!(content_type("t/one.jpg"), "image/jpeg");
        assert!(store.put("../escape.jpg", vec![]).await.is_err());
        std::fs::remove_dir_all(root).unwrap();
    }
}
