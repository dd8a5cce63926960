//! `docs/architecture.md`'s rule, checked: no two folders (top-level modules) of `api/src` import
//! each other, directly or through others. Comments and doc comments do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module of every `.rs` file under `dir`, with the file.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// `crate::<name>` references outside comments.
fn crate_references(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// Which top-level modules each top-level module imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap();
        let first = relative.components().next().unwrap();
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        let targets = graph.entry(module.clone()).or_default();
        targets.extend(
            crate_references(&source)
                .into_iter()
                .filter(|target| *target != module),
        );
    }
    graph
}

fn reachable(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(module) = stack.pop() {
        for next in graph.get(&module).into_iter().flatten() {
            if seen.insert(next.clone()) {
                stack.push(next.clone());
            }
        }
    }
    seen
}

#[test]
fn no_two_folders_of_the_service_import_each_other() {
    let graph = imports();
    assert!(graph.contains_key("services") && graph.contains_key("views"));
    let cycles: Vec<(String, String)> = graph
        .iter()
        .flat_map(|(module, targets)| targets.iter().map(move |target| (module, target)))
        .filter(|(module, target)| reachable(&graph, target).contains(*module))
        .map(|(module, target)| (module.clone(), target.clone()))
        .collect();
    assert!(
        cycles.is_empty(),
        "imports that close a cycle (module -> module): {cycles:?}"
    );
}

#[test]
fn the_domain_and_the_services_know_nothing_of_the_edge() {
    let graph = imports();
    for (inner, outer) in [
        ("domain", "views"),
        ("domain", "services"),
        ("domain", "http"),
        ("services", "views"),
        ("services", "handlers"),
        ("services", "http"),
        ("views", "services"),
        ("store", "services"),
    ] {
        assert!(
            !reachable(&graph, inner).contains(outer),
            "{inner} reaches {outer}"
        );
    }
}

#[test]
fn references_in_comments_do_not_count() {
    let found =
        crate_references("use crate::a::B; // crate::b\n/// crate::c\nlet x = crate::d::f();");
    assert_eq!(found, BTreeSet::from(["a".to_owned(), "d".to_owned()]));
}
