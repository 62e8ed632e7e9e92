//! The migrations are embedded at compile time (`sqlx::migrate!`); a migration added or changed
//! must rebuild what embeds them, which cargo does not know by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
