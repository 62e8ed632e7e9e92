//! Passwords: the rules a new one must meet, and argon2id hashing off the async runtime.

use crate::Error;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 10;
/// The longest password accepted (hashing cost grows with it; nobody needs more).
pub const MAX_LENGTH: usize = 128;

/// Passwords people choose most often, here and everywhere; a new password may not be one of
/// them, whatever its case, nor one of them with digits or `!` added.
const COMMON: &[&str] = &[
    "123456789",
    "1234567890",
    "12345678910",
    "password",
    "password1",
    "password123",
    "qwerty",
    "qwertyuiop",
    "qwerty123",
    "iloveyou",
    "letmein",
    "welcome",
    "welcome1",
    "admin",
    "admin123",
    "administrator",
    "abc123",
    "abcdef",
    "abcd1234",
    "football",
    "baseball",
    "monkey",
    "dragon",
    "master",
    "sunshine",
    "princess",
    "shadow",
    "superman",
    "trustno1",
    "starwars",
    "whatever",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "zaq12wsx",
    "asdfghjkl",
    "zxcvbnm",
    "qazwsx",
    "000000000",
    "111111111",
    "987654321",
    "123123123",
    "11223344",
    "changeme",
    "secret",
    "login",
    "access",
    "loveyou",
    "jesus",
    "jesuslovesme",
    "blessing",
    "godisgood",
    "godislove",
    "favour",
    "favourite",
    "chelsea",
    "arsenal",
    "manchester",
    "manutd",
    "liverpool",
    "barcelona",
    "realmadrid",
    "nigeria",
    "naija",
    "lagos",
    "abuja",
    "superstore",
    "shop",
    "commerce",
    "cashier",
    "manager",
    "computer",
    "internet",
    "samsung",
    "iphone",
    "android",
    "michael",
    "jennifer",
    "charlie",
    "daniel",
    "password!",
    "mypassword",
];

/// Checks a new password against the rules; `field` names the form field in the error.
pub fn check_new(password: &str, email: &str, field: &str) -> Result<(), Error> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Error::invalid(field, format!("use at least {MIN_LENGTH} characters")));
    }
    if length > MAX_LENGTH {
        return Err(Error::invalid(field, format!("use at most {MAX_LENGTH} characters")));
    }
    let lower = password.to_lowercase();
    let core = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c == '!');
    if COMMON.contains(&lower.as_str())
        || COMMON.contains(&core)
        || password.chars().all(|c| c == password.chars().next().unwrap_or(' '))
    {
        return Err(Error::invalid(field, "this password is too common; choose one that is hard to guess"));
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && lower.contains(&local) {
        return Err(Error::invalid(field, "do not use your email address in your password"));
    }
    Ok(())
}

#[cfg(feature = "server")]
pub use hashing::{hash, verify, verify_nothing};

#[cfg(feature = "server")]
mod hashing {
    use std::sync::OnceLock;

    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
    use argon2::{Algorithm, Argon2, Params, Version};

    use crate::Error;

    /// argon2id with 19 MiB of memory, 2 passes, 1 lane: the OWASP baseline.
    fn hasher() -> Argon2<'static> {
        let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    }

    fn verify_now(password: &str, stored: &str) -> bool {
        PasswordHash::new(stored).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
    }

    /// Hashes a password on a blocking thread, so the server keeps answering meanwhile.
    pub async fn hash(password: String) -> Result<String, Error> {
        tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(|_| Error::Internal)?.map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            Error::Internal
        })
    }

    /// Whether the password matches the stored hash; checked on a blocking thread.
    pub async fn verify(password: String, stored: String) -> bool {
        tokio::task::spawn_blocking(move || verify_now(&password, &stored)).await.unwrap_or(false)
    }

    /// Spends the time of one verification, so that an unknown email answers as slowly as a
    /// known one with a wrong password.
    pub async fn verify_nothing(password: String) {
        static DUMMY: OnceLock<String> = OnceLock::new();
        let _ = tokio::task::spawn_blocking(move || {
            let stored = DUMMY.get_or_init(|| hash_now("no one has this password").unwrap_or_default());
            verify_now(&password, stored)
        })
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_email_passwords_are_refused_with_the_field_named() {
        for (password, why) in [
            ("short", "at least 10"),
            ("password123", "too common"),
            ("Password2024", "too common"),
            ("aaaaaaaaaaaa", "too common"),
            ("chinedu-rocks-2026", "email address"),
        ] {
            match check_new(password, "chinedu@example.ng", "password") {
                Err(Error::Invalid { field, message }) => {
                    assert_eq!(field, "password");
                    assert!(message.contains(why), "{password}: {message}");
                }
                other => panic!("{password} was accepted: {other:?}"),
            }
        }
    }

    #[test]
    fn a_long_uncommon_password_is_accepted() {
        assert_eq!(check_new("yam-and-egg-at-dawn", "chinedu@example.ng", "password"), Ok(()));
    }
}
