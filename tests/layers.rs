//! The domain's modules are layered: each may use only those on the layers below its own (and
//! itself), so that nothing is tangled in a cycle and each can be read, tested and changed with
//! only what is under it in mind. This reads every `crate::…` path in every source file and
//! fails on one that reaches up or sideways, naming the file and line. `docs/ARCHITECTURE.md`
//! explains the order.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on what it did not expect")]

use std::path::Path;

/// Lowest first. Modules on one layer may not use each other.
const LAYERS: [&[&str]; 11] = [
    // Ids, actor and scope, permission, money, the error, the page of a list.
    &["base"],
    // Infrastructure: the database's tenancy, mail, secrets, rate limits, clean-up.
    &["db", "mail", "secrets", "throttle", "sweep"],
    // What every business operation writes beside its work: the audit row, the idempotency key.
    &["audit", "idempotency"],
    // Pictures, as bytes and sizes.
    &["media"],
    // Businesses, locations, people, sessions.
    &["identity"],
    // Products.
    &["catalog"],
    // Stock of products at locations.
    &["inventory"],
    // Orders: what they cost and the life they lead.
    &["orders"],
    // The till: registers, shifts, and what tills send, booked into orders and stock; the
    // marketplace: its vendors, their standing, documents and money.
    &["pos", "marketplace"],
    // Files of products and stock, in and out; the dashboard's figures, read from what orders,
    // the till and stock keep; reviews of what orders bought, and of the marketplace's sellers.
    &["files", "dashboard", "reviews"],
    // The demonstration data, made through all of the above.
    &["demo"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a source file belongs to (`src/inventory/stock.rs` → `inventory`).
fn module_of(path: &Path, src: &Path) -> String {
    let relative = path.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_owned()
}

fn sources(dir: &Path, into: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// The text with every `//` comment blanked out (offsets kept), so that prose naming a module
/// is not read as a use of it.
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => format!("{}{}", &line[..at], " ".repeat(line.len() - at)),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each `crate::name` path in the code with the offset where it starts: the module it names, or
/// each module of a `crate::{a, b::c}` group. The crate root's own items (`crate::Error`,
/// re-exported from `base`) count as `base`.
fn used_modules(code: &str) -> Vec<(usize, String)> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let module = |name: &str| {
        let name = name.trim();
        let head: String = name.chars().take_while(|c| word(*c)).collect();
        if head.starts_with(char::is_uppercase) { "base".to_owned() } else { head }
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| word(c) || c == '$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !item.trim().is_empty() {
                            found.push((at, module(&item)));
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            found.push((at, module(rest)));
        }
    }
    found
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(file, &src);
        if module == "lib" {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            wrong.push(format!("{}: module `{module}` has no layer; add it to LAYERS and the notes", file.display()));
            continue;
        };
        let code = without_comments(&std::fs::read_to_string(file).unwrap());
        for (at, used) in used_modules(&code) {
            if used == module {
                continue;
            }
            let line = code[..at].matches('\n').count() + 1;
            match layer_of(&used) {
                Some(layer) if layer < own => {}
                Some(_) => {
                    wrong.push(format!("{}:{line}: `{module}` uses `{used}`, which is not below it", file.display()));
                }
                None => wrong.push(format!("{}:{line}: `{used}` is no module of the crate", file.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_a_path_that_reaches_up() {
    let names = |code: &str| used_modules(code).into_iter().map(|(_, m)| m).collect::<Vec<_>>();
    assert_eq!(names("use crate::inventory::ledger;"), ["inventory"]);
    assert_eq!(names("let x = crate::db::tenant_tx(db, t);"), ["db"]);
    assert_eq!(names("use crate::{Clash, Error};"), ["base", "base"]);
    assert_eq!(names("use crate::{\n    audit::{self, Change},\n    db,\n};"), ["audit", "db"]);
    assert_eq!(names("let s = my_crate::thing; m!($crate::x)"), Vec::<String>::new());
    assert_eq!(names(&without_comments("let a = 1; // see crate::inventory")), Vec::<String>::new());
    assert!(layer_of("base") < layer_of("identity"));
    assert!(layer_of("catalog") < layer_of("inventory"));
}

#[test]
fn every_module_of_the_crate_has_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.trim().strip_prefix("pub mod ").and_then(|rest| rest.strip_suffix(';')) {
            assert!(layer_of(name).is_some(), "`{name}` is declared in lib.rs but has no layer");
        }
    }
}
