//! Secrets handed to people and programs (session ids, invitation and reset links, API
//! secrets and tokens): random, shown once, stored only as a SHA-256 hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::Error;

/// A new secret: the text to hand out, and the hash to store.
pub struct NewSecret {
    /// What the holder presents: 32 random bytes, base64url.
    pub text: String,
    /// What the database keeps.
    pub hash: Vec<u8>,
}

/// Makes a new random secret.
pub fn new_secret() -> Result<NewSecret, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness available");
        Error::Internal
    })?;
    let text = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&text);
    Ok(NewSecret { text, hash })
}

/// A random id that cannot be guessed (122 random bits, a version 4 UUID): for a key that
/// opens something by itself being known (an order's page, a visit's cart).
pub fn random_id() -> Result<uuid::Uuid, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness available");
        Error::Internal
    })?;
    Ok(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

/// The stored form of a presented secret.
pub fn hash(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_only_their_hash_matches() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert_ne!(a.text, b.text);
        assert_eq!(a.text.len(), 43);
        assert_eq!(hash(&a.text), a.hash);
        assert_ne!(hash(&b.text), a.hash);
    }
}
