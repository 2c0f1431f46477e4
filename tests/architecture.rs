//! The crate's layers point one way: every `crate::` path in the library's code (doc
//! comments and unit tests aside) names a module of the same layer or one below, and
//! the modules of one layer import each other without a circle. `ARCHITECTURE.md`
//! draws the same table; a new module must be placed in it here first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Layers from the bottom; a module is matched by its longest listed prefix.
const LAYERS: &[(usize, &[&str])] = &[
    (0, &["error", "units"]),
    (1, &["random"]),
    (2, &["indicator", "target", "stats", "analytic", "official"]),
    (3, &["process"]),
    (4, &["io", "calibrate", "scenario", "reference"]),
    (5, &["sim"]),
    (6, &["analysis", "backtest"]),
    (7, &["assess"]),
    (8, &["check"]),
    (9, &["report", "plot"]),
];

/// Modules outside the layering: the crate root re-exports, the guide is text only.
const OUTSIDE: &[&str] = &["", "guide", "prelude"];

fn layer_of(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or("");
    LAYERS
        .iter()
        .find(|(_, names)| names.contains(&top))
        .map(|(l, _)| *l)
}

/// The module path of a source file, e.g. `src/sim/engine.rs` → `sim::engine`.
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|p| p != "mod" && p != "lib")
        .collect();
    parts.join("::")
}

/// The code of a file without comments and without its unit tests.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level modules named by `crate::…` paths, including inside `use crate::{…}`.
fn dependencies(code: &str) -> BTreeSet<String> {
    let mut deps = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find("};").unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                deps.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            deps.insert(name);
        }
    }
    deps.retain(|d| !d.is_empty() && d.chars().next().is_some_and(char::is_lowercase));
    deps
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bin") {
                files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in paths {
        let module = module_of(&path, &src);
        let top = module.split("::").next().unwrap_or("").to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let deps = dependencies(&code(&text));
        graph
            .entry(top.clone())
            .or_default()
            .extend(deps.into_iter().filter(|d| *d != top));
    }
    graph
}

#[test]
fn every_module_is_placed_in_a_layer() {
    for module in graph().keys() {
        assert!(
            OUTSIDE.contains(&module.as_str()) || layer_of(module).is_some(),
            "module `{module}` is in no layer: add it to LAYERS and ARCHITECTURE.md"
        );
    }
}

#[test]
fn dependencies_point_down() {
    let mut wrong = Vec::new();
    for (module, deps) in graph() {
        let Some(layer) = layer_of(&module) else {
            continue;
        };
        for dep in deps {
            if let Some(below) = layer_of(&dep)
                && below > layer
            {
                wrong.push(format!(
                    "{module} (layer {layer}) imports {dep} (layer {below})"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_circle() {
    let graph = graph();
    // Depth-first search for a back edge among the layered modules.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(1) => {
                let from = stack.iter().position(|s| s == m).unwrap();
                let mut circle = stack[from..].to_vec();
                circle.push(m.to_string());
                return Some(circle);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for dep in graph.get(m).into_iter().flatten() {
            if OUTSIDE.contains(&dep.as_str()) {
                continue;
            }
            if let Some(c) = visit(dep, graph, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in graph.keys().filter(|m| !OUTSIDE.contains(&m.as_str())) {
        if let Some(circle) = visit(m, &graph, &mut state, &mut Vec::new()) {
            panic!("import circle: {}", circle.join(" → "));
        }
    }
}

#[test]
fn the_checker_sees_a_circle_and_an_upward_import() {
    // The parser reads grouped and plain paths, and skips comments.
    let deps = dependencies(&code(
        "use crate::{sim::Simulator, error::Result};\n// crate::report\nlet x = crate::process::Model;",
    ));
    assert_eq!(
        deps.into_iter().collect::<Vec<_>>(),
        ["error", "process", "sim"]
    );
    assert!(layer_of("process").unwrap() < layer_of("sim").unwrap());
}
