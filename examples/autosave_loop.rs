//! Stand-in for the app's autosave timer, for `tests/kill_autosave.rs`.
//!
//! `autosave_loop DIR [ROUNDS]` reads `DIR/article.txt` and then, like the
//! app while a document has unsaved changes, writes its annotations to the
//! recovery file ([`tandai::recovery::write`], the very call the app's timer
//! makes) over and over, as the annotations grow; every fifth round it also
//! saves the annotation file normally ([`tandai::store::save_over`]) and
//! removes the recovery file, as the app does after a save. It does not wait between rounds, so a kill at
//! a random moment lands inside a write as often as possible.
//!
//! Round `r` writes `tandai::synth::annotate(text, k)` with `k` spans, `k`
//! derived from `r`, so the test can rebuild every state that was written
//! and check that whatever a kill leaves behind is one of them. `ROUNDS`
//! (default 10,000) bounds the run if nobody kills it.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use tandai::document::Article;
use tandai::recovery;
use tandai::store::{self, annotation_path_for};
use tandai::synth::annotate;

/// Labels written first in the `labels` field, as the built-in schema's.
const LABELS: &[&str] = &["claim", "source", "denial"];

/// The number of spans written in round `r`: growing, then starting over,
/// with sizes from 1 to 2,000 spans (up to a few hundred kilobytes).
fn spans_in_round(r: u64) -> usize {
    1 + (r * 37 % 2000) as usize
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: autosave_loop DIR [ROUNDS]"));
    let rounds: u64 = args.next().map_or(10_000, |s| s.parse().expect("ROUNDS"));
    let article_path = dir.join("article.txt");
    let article = Article::read(&article_path).expect("DIR/article.txt");
    let ann_path = annotation_path_for(&article_path);
    for r in 0..rounds {
        let ann = annotate(&article.text, spans_in_round(r));
        recovery::write(&ann_path, &ann, LABELS).expect("autosave");
        if r % 5 == 4 {
            store::save_over(&ann_path, &ann, LABELS).expect("save");
            recovery::remove(&ann_path).expect("remove the recovery file");
        }
    }
    println!("{rounds} rounds");
}
