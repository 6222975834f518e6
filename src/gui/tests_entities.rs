//! UI tests of who said what: E opens the entity picker on a source span
//! (a new entity from what is typed; a same-name one suggested first for
//! the next span), the inspector shows the entity, and the "Who said
//! what" window groups the claims by entity, each row showing its claim.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use super::tests::{ARTICLE, harness, temp_article};
use crate::model::SpanId;

fn at(q: &str) -> std::ops::Range<usize> {
    let b = ARTICLE.find(q).unwrap();
    let s = ARTICLE[..b].chars().count();
    s..s + q.chars().count()
}

#[test]
fn sources_name_their_entity_and_the_table_groups_by_it() {
    let (_d, p) = temp_article(ARTICLE);
    let mut h = harness(&p);
    {
        let s = h.state_mut().session_mut().unwrap();
        s.tag("source", at("juru bicara John Kirby"));
        s.tag("claim", at("diam-diam mengirim peluru artileri ke Rusia"));
        s.begin_link("said_by");
        let source = s
            .doc()
            .annotations
            .spans()
            .find(|x| x.label == "source")
            .unwrap()
            .id;
        s.finish_link(source);
        s.select(source);
    }
    h.run_steps(2);
    // E on the source: nothing to pick yet, so the typed name is new.
    h.key_press(Key::E);
    h.run_steps(2);
    assert!(
        h.query_by_label("Who is this source?").is_some(),
        "the picker"
    );
    h.get_by_role_and_label(egui::Role::TextInput, "Entity")
        .type_text("John Kirby");
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Role")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Role")
        .type_text("NSC spokesman");
    h.run_steps(1);
    h.get_by_label_contains("New entity").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    let ann = &s.doc().annotations;
    let kirby = ann.entities().next().unwrap().clone();
    assert_eq!(kirby.display_name(), "John Kirby (NSC spokesman)");
    assert!(
        h.query_by_label("John Kirby (NSC spokesman)").is_some(),
        "the inspector says so"
    );

    // "Kirby" alone: the picker suggests John Kirby first; Enter takes it.
    let id = {
        let s = h.state_mut().session_mut().unwrap();
        s.tag("source", at("Kirby"));
        let id = s.selected().unwrap();
        assert_ne!(id, SpanId(1));
        id
    };
    h.run_steps(1);
    h.key_press(Key::E);
    h.run_steps(2);
    assert!(h.query_by_label_contains("(same name)").is_some());
    h.key_press(Key::Enter);
    h.run_steps(2);
    let ann = &h.state().session().unwrap().doc().annotations;
    assert_eq!(ann.span(id).unwrap().entity, Some(kirby.id));
    assert!(h.state().entity_picker.is_none());

    // Who said what: the claim under John Kirby; clicking shows it.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::W);
    h.run_steps(2);
    assert!(h.query_by_label_contains("John Kirby (entity)").is_some());
    h.get_by_label_contains("claim: “diam-diam").click();
    h.run_steps(2);
    let s = h.state().session().unwrap();
    let claim = s
        .doc()
        .annotations
        .spans()
        .find(|x| x.label == "claim")
        .unwrap()
        .id;
    assert_eq!(s.selected(), Some(claim));
}

#[test]
fn the_folder_table_opens_the_article_of_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("korpus");
    std::fs::create_dir(&root).unwrap();
    let texts = [
        ("a.txt", "Polisi mengatakan kapal itu karam di laut.\n"),
        ("b.txt", "Menteri menyebut harga beras turun bulan ini.\n"),
    ];
    for (name, text) in texts {
        std::fs::write(root.join(name), text).unwrap();
        let q = |s: &str| {
            let b = text.find(s).unwrap();
            let c = text[..b].chars().count();
            (c, c + s.chars().count())
        };
        let (src, claim) = if name == "a.txt" {
            (q("Polisi"), q("kapal itu karam di laut"))
        } else {
            (q("Menteri"), q("harga beras turun bulan ini"))
        };
        let stem = name.trim_end_matches(".txt");
        std::fs::write(
            root.join(format!("{stem}.tandai.ron")),
            format!(
                r#"(version: 1, document: (path: "{name}"), spans: [
                    (id: 1, label: "source", start: {}, end: {}),
                    (id: 2, label: "claim", start: {}, end: {}),
                ], links: [(id: 1, kind: "said_by", from: 2, to: 1)])"#,
                src.0, src.1, claim.0, claim.1
            ),
        )
        .unwrap();
    }
    let mut h = harness(&root.join("a.txt"));
    h.state_mut().open_folder(&root);
    for _ in 0..100 {
        h.run_steps(1);
        if h.state().folder().is_some_and(|f| !f.loading()) {
            break;
        }
    }
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::W);
    h.run_steps(2);
    h.get_by_label("The folder").click();
    h.run_steps(3);
    h.get_by_label_contains("b.txt · claim: “harga beras")
        .click();
    h.run_steps(3);
    let s = h.state().session().unwrap();
    assert!(
        s.doc().article.path.ends_with("b.txt"),
        "{:?}",
        s.doc().article.path
    );
}
