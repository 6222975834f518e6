//! Long runs of additions in one group (an import's tags and links, the
//! redo of one) applied at once: the model sorts a run out and merges it
//! into each index, instead of one search per span or link. The result,
//! the inverses and the errors are those of applying the run edit by edit.

use super::{Edit, EditError, check_range};
use crate::model::{Annotations, Link, Span};
use crate::offsets::Text;

/// Runs shorter than this are applied edit by edit.
const BULK_FROM: usize = 64;

/// Consecutive additions of one kind, each with whether it is checked: an
/// [`Edit::AddSpan`]'s range, an [`Edit::AddLink`]'s ends (the reinsertions
/// that undo removals are not).
pub(super) enum Run {
    Spans(Vec<(Box<Span>, bool)>),
    Links(Vec<(Link, bool)>),
}

impl Run {
    /// The run that starts with `edit` and takes the edits of its kind
    /// that follow it, or `edit` back if it is not an addition.
    pub(super) fn take(edit: Edit, rest: &mut std::vec::IntoIter<Edit>) -> Result<Run, Edit> {
        let mut run = match edit {
            Edit::AddSpan(s) => Run::Spans(vec![(s, true)]),
            Edit::ReinsertSpan(s) => Run::Spans(vec![(s, false)]),
            Edit::AddLink(l) => Run::Links(vec![(l, true)]),
            Edit::ReinsertLink(l) => Run::Links(vec![(l, false)]),
            other => return Err(other),
        };
        // How many of the edits that follow are of the run's kind.
        let n = 1 + rest
            .as_slice()
            .iter()
            .take_while(|e| match run {
                Run::Spans(_) => matches!(e, Edit::AddSpan(_) | Edit::ReinsertSpan(_)),
                Run::Links(_) => matches!(e, Edit::AddLink(_) | Edit::ReinsertLink(_)),
            })
            .count();
        match &mut run {
            Run::Spans(v) => {
                v.reserve_exact(n - 1);
                v.extend(rest.take(n - 1).filter_map(|e| match e {
                    Edit::AddSpan(s) => Some((s, true)),
                    Edit::ReinsertSpan(s) => Some((s, false)),
                    _ => None,
                }));
            }
            Run::Links(v) => {
                v.reserve_exact(n - 1);
                v.extend(rest.take(n - 1).filter_map(|e| match e {
                    Edit::AddLink(l) => Some((l, true)),
                    Edit::ReinsertLink(l) => Some((l, false)),
                    _ => None,
                }));
            }
        }
        Ok(run)
    }

    fn len(&self) -> usize {
        match self {
            Run::Spans(v) => v.len(),
            Run::Links(v) => v.len(),
        }
    }

    /// The run as the edits it was taken from.
    fn into_edits(self) -> Vec<Edit> {
        match self {
            Run::Spans(v) => v
                .into_iter()
                .map(|(s, add)| {
                    if add {
                        Edit::AddSpan(s)
                    } else {
                        Edit::ReinsertSpan(s)
                    }
                })
                .collect(),
            Run::Links(v) => v
                .into_iter()
                .map(|(l, add)| {
                    if add {
                        Edit::AddLink(l)
                    } else {
                        Edit::ReinsertLink(l)
                    }
                })
                .collect(),
        }
    }

    /// Applies the run, pushing each edit's inverse onto `inverses` in
    /// order. On error, what the run did is in `inverses` (in bulk,
    /// nothing was done).
    pub(super) fn apply(
        self,
        ann: &mut Annotations,
        text: &Text,
        inverses: &mut Vec<Edit>,
    ) -> Result<(), EditError> {
        if self.len() < BULK_FROM {
            for edit in self.into_edits() {
                inverses.push(edit.apply(ann, text)?);
            }
            return Ok(());
        }
        match self {
            Run::Spans(run) => {
                // The spans up to the first whose range is wrong (as
                // `Edit::apply`: an orphan's range is not checked), which
                // go in (or are refused) before that one fails.
                let mut spans: Vec<Box<Span>> = Vec::with_capacity(run.len());
                let mut bad_range = Ok(());
                for (span, check) in run {
                    if check && !span.orphan {
                        bad_range = check_range(text, &span.range());
                        if bad_range.is_err() {
                            break;
                        }
                    }
                    spans.push(span);
                }
                let ids: Vec<_> = spans.iter().map(|s| s.id).collect();
                ann.insert_spans_all(spans).map_err(|(_, e)| e)?;
                inverses.extend(ids.into_iter().map(Edit::RemoveSpan));
                bad_range?;
            }
            Run::Links(run) => {
                let ids: Vec<_> = run.iter().map(|(l, _)| l.id).collect();
                ann.insert_links_all(run).map_err(|(_, e)| e)?;
                inverses.extend(ids.into_iter().map(Edit::RemoveLink));
            }
        }
        Ok(())
    }
}
