//! Tests of the attribution table on an original wire-style article:
//! nested sources, a pronoun source, a claim with two sources, a denial of
//! two claims, an unattributed claim, cue words; CSV read back.

use super::group::{By, groups};
use super::output::{COLUMNS, csv, jsonl, markdown};
use super::*;
use crate::model::{DocumentRef, Entity, EntityId};
use crate::offsets::Text;

const ARTICLE: &str = "JAKARTA, KOMPAS.TV — Juru bicara Kementerian Perdagangan, Ani Lestari, \
mengatakan harga beras akan turun pekan depan. Menurut dia, pasokan dari Jawa Timur sudah tiba \
di gudang Bulog.\r\n\r\nKementerian Pertanian dan Badan Pangan Nasional menyebut stok nasional \
cukup hingga Lebaran 🌙. Gabungan Pengusaha Beras membantah bahwa pasokan sudah tiba maupun \
bahwa stok cukup. Harga di Pasar Induk Cipinang sudah naik 10 persen, \"kata\" pedagang, sejak \
awal bulan.";

struct Doc {
    text: Text,
    ann: Annotations,
}

impl Doc {
    fn new() -> Doc {
        let text = Text::new(ARTICLE.to_owned());
        let ann = Annotations::new(DocumentRef {
            path: "beras.txt".into(),
            sha256: String::new(),
            chars: text.len_chars(),
        });
        Doc { text, ann }
    }

    /// Tags the only occurrence of `quote` (the `nth` when it repeats).
    fn tag(&mut self, label: &str, quote: &str, nth: usize) -> SpanId {
        let (b, _) = ARTICLE.match_indices(quote).nth(nth).unwrap();
        let r = self.text.char_range(b..b + quote.len()).unwrap();
        let id = self.ann.next_span_id();
        let s = Span::new_in(&self.text, id, label, r, Origin::default()).unwrap();
        self.ann.insert_span(s).unwrap();
        id
    }

    fn link(&mut self, kind: &str, from: SpanId, to: SpanId) {
        let id = self.ann.next_link_id();
        self.ann
            .insert_link(Link {
                id,
                kind: kind.into(),
                from,
                to,
            })
            .unwrap();
    }

    fn name(&mut self, span: SpanId, entity: EntityId) {
        let mut s = self.ann.span(span).unwrap().clone();
        s.entity = Some(entity);
        self.ann.replace_span(s).unwrap();
    }
}

/// The article annotated as the module docs describe it.
fn annotated() -> Doc {
    let mut d = Doc::new();
    let ani = EntityId(1);
    let kementan = EntityId(2);
    d.ann
        .insert_entity(Entity {
            id: ani,
            name: "Ani Lestari".into(),
            role: Some("juru bicara Kementerian Perdagangan".into()),
        })
        .unwrap();
    d.ann
        .insert_entity(Entity {
            id: kementan,
            name: "Kementerian Pertanian".into(),
            role: None,
        })
        .unwrap();
    let outer = d.tag(
        "source",
        "Juru bicara Kementerian Perdagangan, Ani Lestari",
        0,
    );
    let inner = d.tag("source", "Ani Lestari", 0);
    d.tag("cue", "mengatakan", 0);
    let turun = d.tag("claim", "harga beras akan turun pekan depan", 0);
    d.tag("cue", "Menurut", 0);
    let dia = d.tag("source", "dia", 0);
    let tiba = d.tag(
        "claim",
        "pasokan dari Jawa Timur sudah tiba di gudang Bulog",
        0,
    );
    let pertanian = d.tag("source", "Kementerian Pertanian", 0);
    let bapanas = d.tag("source", "Badan Pangan Nasional", 0);
    let cukup = d.tag("claim", "stok nasional cukup hingga Lebaran 🌙", 0);
    let gapeb = d.tag("source", "Gabungan Pengusaha Beras", 0);
    let bantah = d.tag(
        "denial",
        "membantah bahwa pasokan sudah tiba maupun bahwa stok cukup",
        0,
    );
    d.tag(
        "claim",
        "Harga di Pasar Induk Cipinang sudah naik 10 persen, \"kata\" pedagang, sejak awal bulan",
        0,
    );
    for (span, entity) in [
        (outer, ani),
        (inner, ani),
        (dia, ani),
        (pertanian, kementan),
    ] {
        d.name(span, entity);
    }
    d.link(SAID_BY, turun, outer);
    d.link(SAID_BY, tiba, dia);
    d.link(SAID_BY, cukup, bapanas);
    d.link(SAID_BY, cukup, pertanian);
    d.link(SAID_BY, bantah, gapeb);
    d.link(DENIES, bantah, cukup);
    d.link(DENIES, bantah, tiba);
    d
}

fn entity_of(r: &Row) -> Option<&str> {
    r.source
        .as_ref()
        .and_then(|s| s.entity.as_ref())
        .map(|e| e.name.as_str())
}

fn texts(rows: &[Row]) -> Vec<(&str, &str, Option<&str>)> {
    rows.iter()
        .map(|r| {
            (
                r.kind.as_str(),
                r.content.text.as_str(),
                r.source.as_ref().map(|s| s.span.text.as_str()),
            )
        })
        .collect()
}

#[test]
fn every_said_by_is_a_row_and_the_unsourced_are_there_too() {
    let d = annotated();
    let mut skipped = Skipped::default();
    let rows = rows("beras.txt", &d.ann, &mut skipped);
    assert_eq!(skipped, Skipped::default());
    assert_eq!(
        texts(&rows),
        [
            (
                "claim",
                "harga beras akan turun pekan depan",
                Some("Juru bicara Kementerian Perdagangan, Ani Lestari")
            ),
            (
                "claim",
                "pasokan dari Jawa Timur sudah tiba di gudang Bulog",
                Some("dia")
            ),
            (
                "claim",
                "stok nasional cukup hingga Lebaran 🌙",
                Some("Kementerian Pertanian")
            ),
            (
                "claim",
                "stok nasional cukup hingga Lebaran 🌙",
                Some("Badan Pangan Nasional")
            ),
            (
                "denial",
                "membantah bahwa pasokan sudah tiba maupun bahwa stok cukup",
                Some("Gabungan Pengusaha Beras")
            ),
            (
                "claim",
                "Harga di Pasar Induk Cipinang sudah naik 10 persen, \"kata\" pedagang, sejak awal bulan",
                None
            ),
        ]
    );
    // Offsets are code points: the emoji is one.
    let cukup = &rows[2].content;
    assert_eq!(
        d.text.slice(cukup.start..cukup.end),
        Some(cukup.text.as_str())
    );
    assert_eq!(cukup.end - cukup.start, cukup.text.chars().count());
    // Entities: the nested source, the pronoun.
    let names: Vec<Option<&str>> = rows.iter().map(entity_of).collect();
    assert_eq!(
        names,
        [
            Some("Ani Lestari"),
            Some("Ani Lestari"),
            Some("Kementerian Pertanian"),
            None,
            None,
            None
        ]
    );
    // Cue words between source and content, only where a cue span lies.
    let cues: Vec<Option<&str>> = rows
        .iter()
        .map(|r| r.cue.as_ref().map(|c| c.text.as_str()))
        .collect();
    assert_eq!(
        cues,
        [Some("mengatakan"), Some("Menurut"), None, None, None, None]
    );
    // The denial denies both claims, in document order.
    let denied: Vec<&str> = rows[4].denies.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        denied,
        [
            "pasokan dari Jawa Timur sudah tiba di gudang Bulog",
            "stok nasional cukup hingga Lebaran 🌙"
        ]
    );
    assert!(rows[..4].iter().all(|r| r.denies.is_empty()));
    assert!(rows[5].is_unattributed() && rows[5].link.is_none());
    assert!(
        rows.iter()
            .all(|r| r.origin == "human" && r.doc == "beras.txt")
    );
}

#[test]
fn orphans_and_rejected_spans_are_left_out_and_counted() {
    let mut d = annotated();
    let source = d.tag("source", "pedagang", 0);
    let claim = d.tag("claim", "naik 10 persen", 0);
    d.link(SAID_BY, claim, source);
    // A rejected machine source: its claim becomes unattributed.
    let mut s = d.ann.span(source).unwrap().clone();
    s.origin = Origin::Machine {
        model: "attrib-v0".into(),
        score: Some(0.4),
    };
    s.status = Some(Status::Rejected);
    d.ann.replace_span(s).unwrap();
    // A machine claim, pending: its row says so.
    let mut c = d.ann.span(claim).unwrap().clone();
    c.origin = Origin::Machine {
        model: "attrib-v0".into(),
        score: Some(0.9),
    };
    c.status = Some(Status::Pending);
    d.ann.replace_span(c).unwrap();
    // An orphan claim with a source.
    let gapeb = SpanId(11);
    let orphan = d.tag("claim", "sejak", 0);
    let mut orphan = d.ann.span(orphan).unwrap().clone();
    orphan.orphan = true;
    d.ann.replace_span(orphan.clone()).unwrap();
    d.link(SAID_BY, orphan.id, gapeb);
    let mut skipped = Skipped::default();
    let rows = rows("beras.txt", &d.ann, &mut skipped);
    assert_eq!(
        skipped,
        Skipped {
            orphans: 1,
            rejected: 1,
            links: 2
        }
    );
    let pending: Vec<&Row> = rows.iter().filter(|r| r.content.id == claim).collect();
    assert_eq!(pending.len(), 1);
    assert!(pending[0].is_unattributed());
    assert_eq!(pending[0].origin, "machine");
    assert_eq!(pending[0].model.as_deref(), Some("attrib-v0"));
    assert_eq!(pending[0].score, Some(0.9));
    assert_eq!(pending[0].status, Some(Status::Pending));
    assert!(rows.iter().all(|r| r.content.id != orphan.id));
}

/// Reads RFC 4180 CSV: quoted fields with `""`, commas and line breaks.
fn parse_csv(src: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = src.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (_, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && record.is_empty(), "no CRLF at the end");
    records
}

#[test]
fn csv_reads_back_exactly() {
    let mut d = annotated();
    // Text that needs quoting: quotes, commas, a line break, an edge space.
    let nasty = d.tag("source", "di gudang Bulog.\r\n\r\nKementerian", 0);
    let claim = d.tag("claim", " \"kata\" ", 0);
    d.link(SAID_BY, claim, nasty);
    let rows = rows("dunia/beras, \"1\".txt", &d.ann, &mut Skipped::default());
    let text = csv(&rows);
    assert!(text.ends_with("\r\n"));
    let back = parse_csv(&text);
    assert_eq!(back[0], COLUMNS);
    assert_eq!(back.len(), rows.len() + 1);
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    for (r, rec) in rows.iter().zip(&back[1..]) {
        assert_eq!(rec.len(), COLUMNS.len());
        assert_eq!(rec[col("doc")], "dunia/beras, \"1\".txt");
        assert_eq!(rec[col("content")], r.content.text);
        assert_eq!(rec[col("content_start")], r.content.start.to_string());
        let source = r.source.as_ref();
        assert_eq!(
            rec[col("source")],
            source.map_or("", |s| s.span.text.as_str())
        );
        assert_eq!(
            rec[col("entity")],
            source
                .and_then(|s| s.entity.as_ref())
                .map_or("", |e| e.name.as_str())
        );
    }
    let denial = &back[5];
    assert_eq!(denial[col("kind")], "denial");
    assert_eq!(
        denial[col("denies")],
        "pasokan dari Jawa Timur sudah tiba di gudang Bulog | stok nasional cukup hingga Lebaran 🌙"
    );
    let nasty_row = back
        .iter()
        .find(|rec| rec[col("content")] == " \"kata\" ")
        .unwrap();
    assert_eq!(
        nasty_row[col("source")],
        "di gudang Bulog.\r\n\r\nKementerian"
    );
    assert_eq!(nasty_row[col("status")], "");
}

#[test]
fn jsonl_rows_are_objects_and_markdown_is_one_line_a_row() {
    let d = annotated();
    let rows = rows("beras.txt", &d.ann, &mut Skipped::default());
    let lines: Vec<serde_json::Value> = jsonl(&rows)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rows.len());
    let first = &lines[0];
    assert_eq!(first["doc"], "beras.txt");
    assert_eq!(
        first["source"]["text"],
        "Juru bicara Kementerian Perdagangan, Ani Lestari"
    );
    assert_eq!(first["source"]["entity"]["name"], "Ani Lestari");
    assert_eq!(first["content"]["start"], rows[0].content.start);
    assert_eq!(first["cue"]["text"], "mengatakan");
    assert_eq!(lines[4]["denies"].as_array().unwrap().len(), 2);
    assert_eq!(
        lines[4]["denies"][1]["text"],
        "stok nasional cukup hingga Lebaran 🌙"
    );
    assert!(lines[5]["source"].is_null());
    assert_eq!(lines[5]["denies"], serde_json::json!([]));
    let md = markdown(&rows);
    assert_eq!(md.lines().count(), rows.len() + 2);
    assert!(md.contains("| (unattributed) |"), "{md}");
    assert!(md.contains("Ani Lestari (juru bicara Kementerian Perdagangan)"));
}

#[test]
fn groups_count_claims_and_denials_per_entity() {
    let d = annotated();
    let mut rows = rows("beras.txt", &d.ann, &mut Skipped::default());
    // The same person in a second article, spelt with other case, another
    // role; and the same claim twice through nested sources counts once.
    let mut more = rows.clone();
    for r in &mut more {
        r.doc = "minyak.txt".into();
        if let Some(e) = r.source.as_mut().and_then(|s| s.entity.as_mut()) {
            e.name = e.name.to_uppercase();
            e.role = Some("menteri".into());
        }
    }
    let twice = rows[0].clone();
    rows.push(twice);
    rows.extend(more);
    let g = groups(&rows);
    let summary: Vec<(By, &str, usize, usize, usize)> = g
        .iter()
        .map(|g| (g.by, g.name.as_str(), g.claims, g.denials, g.articles))
        .collect();
    assert_eq!(
        summary,
        [
            (By::Entity, "Ani Lestari", 4, 0, 2),
            (By::Entity, "Kementerian Pertanian", 2, 0, 2),
            (By::SourceText, "Badan Pangan Nasional", 2, 0, 2),
            (By::SourceText, "Gabungan Pengusaha Beras", 0, 2, 2),
            (By::Unattributed, "", 2, 0, 2),
        ]
    );
    assert_eq!(
        g[0].roles,
        ["juru bicara Kementerian Perdagangan", "menteri"]
    );
    assert_eq!(g[0].docs, ["beras.txt", "minyak.txt"]);
    assert_eq!(g[0].rows.len(), 5);
    let text = super::output::groups_csv(&g);
    let back = parse_csv(&text);
    assert_eq!(back[0], super::output::GROUP_COLUMNS);
    assert_eq!(
        back[1][..6],
        [
            "Ani Lestari",
            "juru bicara Kementerian Perdagangan | menteri",
            "entity",
            "4",
            "0",
            "2"
        ]
    );
}
