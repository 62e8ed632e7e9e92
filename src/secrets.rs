//! Secrets at rest: AES-256-GCM with a key id stored beside each ciphertext, so keys can be
//! rotated (new secrets use the first key; older ones still open with the key that sealed them).
//! For what later modules keep: webhook signing secrets, vendors' bank details.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use crate::Error;

/// The keys from configuration. Never printed: its `Debug` shows key ids only.
#[derive(Clone)]
pub struct Keyring {
    /// `(id, key)`, the first sealing new secrets.
    keys: Vec<(String, Key<Aes256Gcm>)>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish_non_exhaustive()
    }
}

impl Keyring {
    /// Reads `id:base64key[,id:base64key…]`; each key is 32 bytes of standard base64.
    pub fn parse(spec: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::invalid("SECRETS_KEYS", why.to_owned());
        let mut keys: Vec<(String, Key<Aes256Gcm>)> = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, encoded) = entry.split_once(':').ok_or_else(|| bad("write each key as id:base64"))?;
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(bad("key ids use letters, digits, - and _"));
            }
            if keys.iter().any(|(known, _)| known == id) {
                return Err(bad("a key id appears twice"));
            }
            let bytes = STANDARD.decode(encoded.trim()).map_err(|_| bad("a key is not valid base64"))?;
            if bytes.len() != 32 {
                return Err(bad("each key must be 32 bytes (44 base64 characters)"));
            }
            keys.push((id.to_owned(), *Key::<Aes256Gcm>::from_slice(&bytes)));
        }
        if keys.is_empty() {
            return Err(bad("give at least one key"));
        }
        Ok(Self { keys })
    }

    /// Seals a secret with the current key: `keyid.nonce.ciphertext`, base64url.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<String, Error> {
        let (id, key) = &self.keys[0];
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|_| Error::Internal)?;
        let sealed = Aes256Gcm::new(key).encrypt(Nonce::from_slice(&nonce), plaintext).map_err(|_| Error::Internal)?;
        Ok(format!("{id}.{}.{}", URL_SAFE_NO_PAD.encode(nonce), URL_SAFE_NO_PAD.encode(sealed)))
    }

    /// Opens a sealed secret with the key that sealed it.
    pub fn decrypt(&self, sealed: &str) -> Result<Vec<u8>, Error> {
        let broken = || {
            tracing::error!("a stored secret could not be opened (unknown key id or tampered data)");
            Error::Internal
        };
        let mut parts = sealed.splitn(3, '.');
        let (Some(id), Some(nonce), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(broken());
        };
        let (_, key) = self.keys.iter().find(|(known, _)| known == id).ok_or_else(broken)?;
        let nonce = URL_SAFE_NO_PAD.decode(nonce).map_err(|_| broken())?;
        let data = URL_SAFE_NO_PAD.decode(data).map_err(|_| broken())?;
        if nonce.len() != 12 {
            return Err(broken());
        }
        Aes256Gcm::new(key).decrypt(Nonce::from_slice(&nonce), data.as_slice()).map_err(|_| broken())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const K2: &str = "k2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    #[test]
    fn a_secret_round_trips_and_names_its_key() {
        let ring = Keyring::parse(K1).unwrap();
        let sealed = ring.encrypt(b"0123456789 GTBank").unwrap();
        assert!(sealed.starts_with("k1."));
        assert!(!sealed.contains("GTBank"));
        assert_eq!(ring.decrypt(&sealed).unwrap(), b"0123456789 GTBank");
        assert_ne!(ring.encrypt(b"same").unwrap(), ring.encrypt(b"same").unwrap(), "a fresh nonce each time");
    }

    #[test]
    fn after_rotation_old_secrets_still_open_and_new_ones_use_the_new_key() {
        let old = Keyring::parse(K1).unwrap().encrypt(b"webhook-secret").unwrap();
        let rotated = Keyring::parse(&format!("{K2},{K1}")).unwrap();
        assert_eq!(rotated.decrypt(&old).unwrap(), b"webhook-secret");
        assert!(rotated.encrypt(b"x").unwrap().starts_with("k2."));
    }

    #[test]
    fn tampered_or_unknown_secrets_do_not_open() {
        let ring = Keyring::parse(K1).unwrap();
        let sealed = ring.encrypt(b"secret").unwrap();
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(ring.decrypt(&tampered).is_err());
        assert!(Keyring::parse(K2).unwrap().decrypt(&sealed).is_err());
    }

    #[test]
    fn bad_key_configuration_is_explained_and_keys_never_print() {
        for spec in ["", "k1", "k1:short", "k 1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", &format!("{K1},{K1}")] {
            assert!(matches!(Keyring::parse(spec), Err(Error::Invalid { .. })), "{spec}");
        }
        let printed = format!("{:?}", Keyring::parse(K1).unwrap());
        assert!(printed.contains("k1") && !printed.contains("AAECAw"), "{printed}");
    }
}
