//! The database tests embed the migrations at compile time (`sqlx::test`); a migration added or
//! changed must rebuild them, which cargo does not know by itself.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
