//! Measures what a sign-in costs: argon2id hashing and verifying with the suite's parameters.
//! Run by `bench/access.sh`.

use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let rounds = 20;
    let started = Instant::now();
    let mut hash = String::new();
    for _ in 0..rounds {
        hash = commerce::identity::password::hash("yam-and-egg-at-dawn".to_owned()).await.unwrap_or_default();
    }
    let per_hash = started.elapsed() / rounds;
    let started = Instant::now();
    for _ in 0..rounds {
        assert!(commerce::identity::password::verify("yam-and-egg-at-dawn".to_owned(), hash.clone()).await);
    }
    let per_verify = started.elapsed() / rounds;
    let params = hash.split('$').nth(3).unwrap_or_default();
    println!(
        "argon2id {params}: {:.1} ms per hash, {:.1} ms per verify",
        per_hash.as_secs_f64() * 1e3,
        per_verify.as_secs_f64() * 1e3
    );
}
