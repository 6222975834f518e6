//! Hostile inputs: the figures of `tests/hostile_inputs.rs` (deep
//! nesting, long JSON keys, files over their limits).

use std::path::Path;

use tandai::schema::Schema;
use tandai::store;

use super::{ms, time};

pub(crate) struct HostileFigures {
    pub(crate) deep_nesting_ms: f64,
    pub(crate) long_json_keys_ms: f64,
    pub(crate) refuse_huge_ms: f64,
}

pub(crate) fn hostile(dir: &Path) -> HostileFigures {
    const DEPTH: usize = 100_000;
    let nested = |open: &str, close: &str| format!("{}{}", open.repeat(DEPTH), close.repeat(DEPTH));
    let spans =
        |inner: String| format!("(version: 1, document: (path: \"a.txt\"), spans: {inner})");
    let deep = [
        nested("[", "]"),
        nested("(", ")"),
        nested("{\"a\":", "}"),
        nested("Some(", ")"),
        nested("(a:", ")"),
        spans(nested("[", "]")),
        spans(format!(
            "[(id: 1, label: \"claim\", start: 0, end: 1, attributes: {})]",
            nested("{", "}")
        )),
        format!("(labels: [(name: {})])", nested("[", "]")),
    ];
    let ((), deep_t) = time(|| {
        for src in &deep {
            assert!(tandai::format::parse(src).is_err());
            assert!(Schema::parse(src, Path::new("deep.schema.ron")).is_err());
        }
    });

    let key = "k".repeat(1 << 20);
    let body = format!("{{\"{key}\": [{}[]]}}", "[],".repeat(100_000));
    let ls = format!("[{body}]");
    let ((), keys_t) = time(|| {
        tandai::fuzzing::w3c(body.as_bytes());
        tandai::fuzzing::label_studio(ls.as_bytes());
    });

    let sparse = |name: &str, size: u64| {
        let p = dir.join(name);
        std::fs::File::create(&p).unwrap().set_len(size).unwrap();
        p
    };
    let article = sparse("huge.txt", 300 << 20);
    let ann = sparse("huge.tandai.ron", store::MAX_ANNOTATION_BYTES + 1);
    let tags = sparse("huge.jsonl", store::MAX_INPUT_BYTES + 1);
    let schema = sparse("huge.schema.ron", 300 << 20);
    let ((), refuse_t) = time(|| {
        assert!(tandai::document::Article::read(&article).is_err());
        assert!(store::read_raw(&ann).is_err());
        assert!(tandai::interop::tags::read_tags_file(&tags).is_err());
        assert!(Schema::load(&schema).is_err());
    });
    HostileFigures {
        deep_nesting_ms: ms(deep_t),
        long_json_keys_ms: ms(keys_t),
        refuse_huge_ms: ms(refuse_t),
    }
}
