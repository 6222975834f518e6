//! # tandai: label claims, sources and denials in news articles
//!
//! This crate is the core of tandai, with no GUI dependency: everything a
//! script, the command line and the desktop app share.
//!
//! - [`offsets`]: the article text and every conversion between code point,
//!   byte and UTF-16 offsets, plus word boundaries. Offsets everywhere else
//!   are code points (Rust `char`s) over the exact file text.
//! - [`model`]: spans, links, entities (who a source is), origins, review
//!   statuses and the [`model::Annotations`] of one article.
//! - [`schema`]: the label set and which link kinds may join which labels.
//! - [`edit`]: every change as an [`edit::Edit`] value with an inverse, and
//!   the undo [`edit::History`].
//! - [`format`](mod@format): the RON annotation file, versions 1 to 3 (2
//!   adds entities, 3 a merge's disputes; parse and deterministic write).
//! - [`identity`]: who is annotating (the name new spans and review
//!   decisions record), one way for the app and the command line.
//! - [`document`]: reading an article from disk (size limit, UTF-8 check,
//!   SHA-256).
//! - [`anchor`]: putting spans back in place when the article has changed.
//! - [`store`]: loading an annotation file against its article, and atomic,
//!   conflict-checked saving.
//! - [`recovery`]: autosave files beside annotation files and restoring
//!   them after a crash.
//! - [`walk`]: the one policy for walking a folder (hidden, build and
//!   dependency folders skipped; links never lead out of it).
//! - [`corpus`]: a folder of articles: listing, per-article progress,
//!   next and previous.
//! - [`check`]: validation findings, as `tandai check` reports them.
//! - [`attrib`]: who said what: the attribution table (CSV, JSON Lines,
//!   Markdown), grouped per entity, and entity suggestions for source
//!   spans.
//! - [`names`]: the length limit on label, link kind and model names.
//! - [`escape`]: text from files made safe to print on a terminal.
//! - [`search`]: finding text in an article or a folder, ignoring case
//!   and accents if asked.
//! - [`session`]: the editing session of one open article (selection,
//!   tagging, links, find, review mode, undo), shared by the app and
//!   scripts.
//! - [`stats`]: counts per label, link kind and review status.
//! - [`agree`]: agreement between annotators: span precision, recall and
//!   F1 (exact and overlap), Cohen's and Fleiss' kappa over code points,
//!   Krippendorff's `alpha_U` as DKPro Agreement computes it, and links.
//! - [`merge`](mod@merge): merging annotators' files into one with
//!   disputes, the three-way merge the git merge driver runs, and what
//!   adjudicating the disputes reads.
//! - [`review`]: review decisions on machine spans, the review queue and
//!   its filters, bulk decisions, and the per-model scorecard.
//! - `synth` (feature `fuzzing`): deterministic synthetic articles for
//!   benchmarks and stress tests.
//! - [`interop`]: import from and export to brat, doccano, Label Studio,
//!   W3C Web Annotation, CoNLL/BIO and JSONL spans.
//!
//! - `gui` (feature `gui`): the desktop app; the only part that uses egui.
//!
//! Errors are typed (`thiserror`); nothing here panics on bad input.

pub mod agree;
pub mod anchor;
pub mod attrib;
pub mod check;
pub mod corpus;
pub mod document;
pub mod edit;
pub mod escape;
pub mod format;
/// Entry points shared by the cargo-fuzz targets and the bounded property
/// tests: arbitrary bytes in, a panic only when an invariant breaks
/// (feature `fuzzing`).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "gui")]
pub mod gui;
pub mod identity;
pub mod interop;
pub mod merge;
pub mod model;
pub mod names;
pub mod offsets;
pub mod recovery;
pub mod review;
pub mod schema;
pub mod search;
pub mod session;
pub mod stats;
pub mod store;
pub mod suggest;
#[cfg(feature = "fuzzing")]
pub mod synth;
pub mod walk;
