//! One line of a brat `.ann` file, parsed.

use std::ops::Range;

/// What one `.ann` line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind<'a> {
    Text {
        ty: &'a str,
        frags: Vec<Range<usize>>,
        text: &'a str,
    },
    Rel {
        ty: &'a str,
        args: Vec<(&'a str, &'a str)>,
    },
    Event {
        ty: &'a str,
        trigger: &'a str,
        args: Vec<(&'a str, &'a str)>,
    },
    Attr {
        name: &'a str,
        target: &'a str,
        value: Option<&'a str>,
    },
    Norm {
        target: &'a str,
    },
    Note {
        ty: &'a str,
        target: &'a str,
        text: &'a str,
    },
    Equiv {
        ty: &'a str,
        members: Vec<&'a str>,
    },
}

/// One parsed `.ann` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Line<'a> {
    pub(super) id: &'a str,
    pub(super) kind: Kind<'a>,
}

impl<'a> Line<'a> {
    /// The ids the line refers to.
    pub(super) fn refs(&self) -> Vec<&'a str> {
        match &self.kind {
            Kind::Text { .. } => Vec::new(),
            Kind::Rel { args, .. } => args.iter().map(|a| a.1).collect(),
            Kind::Event { trigger, args, .. } => std::iter::once(*trigger)
                .chain(args.iter().map(|a| a.1))
                .collect(),
            Kind::Attr { target, .. } | Kind::Norm { target } | Kind::Note { target, .. } => {
                vec![*target]
            }
            Kind::Equiv { members, .. } => members.clone(),
        }
    }

    /// The link it is, if it is one tandai models: a relation with roles
    /// `Arg1` and `Arg2` between two text spans.
    pub(super) fn as_link(&self) -> Option<(u64, &'a str, u64, u64)> {
        let Kind::Rel { ty, args } = &self.kind else {
            return None;
        };
        let id = number(self.id, 'R')?;
        let arg = |role: &str| {
            args.iter()
                .find(|a| a.0 == role)
                .and_then(|a| number(a.1, 'T'))
        };
        (args.len() == 2)
            .then_some(())
            .and(Some((id, *ty, arg("Arg1")?, arg("Arg2")?)))
    }
}

/// The number of an id like `T12`.
pub(super) fn number(id: &str, prefix: char) -> Option<u64> {
    let rest = id.strip_prefix(prefix)?;
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

fn role_arg(s: &str) -> Result<(&str, &str), String> {
    s.split_once(':')
        .filter(|(r, t)| !r.is_empty() && !t.is_empty())
        .ok_or_else(|| format!("argument {s:?} is not ROLE:ID"))
}

fn offsets(s: &str) -> Result<Vec<Range<usize>>, String> {
    s.split(';')
        .map(|frag| {
            let mut it = frag.split_whitespace();
            let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) else {
                return Err(format!("offsets {frag:?} are not START END"));
            };
            let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
                return Err(format!("offsets {frag:?} are not numbers"));
            };
            if a > b {
                return Err(format!("offsets {a} {b} end before they start"));
            }
            Ok(a..b)
        })
        .collect()
}

/// Parses one `.ann` line (without its line end).
pub(super) fn parse_line(raw: &str) -> Result<Line<'_>, String> {
    let mut fields = raw.splitn(3, '\t');
    let id = fields.next().unwrap_or_default();
    let Some(mid) = fields.next() else {
        return Err("no tab after the id".to_owned());
    };
    let tail = fields.next();
    let words: Vec<&str> = mid.split_whitespace().collect();
    let kind = match id.chars().next() {
        Some('T') => {
            number(id, 'T').ok_or_else(|| format!("id {id:?} is not T<number>"))?;
            let (ty, offs) = mid
                .split_once(' ')
                .ok_or("a text-bound line needs TYPE START END")?;
            Kind::Text {
                ty,
                frags: offsets(offs)?,
                text: tail.ok_or("a text-bound line needs its text after a tab")?,
            }
        }
        Some('R') => {
            let (ty, args) = words.split_first().ok_or("a relation needs a type")?;
            let args = args
                .iter()
                .map(|a| role_arg(a))
                .collect::<Result<Vec<_>, _>>()?;
            if args.len() != 2 {
                return Err("a relation needs two arguments".to_owned());
            }
            Kind::Rel { ty, args }
        }
        Some('E') => {
            let (head, args) = words.split_first().ok_or("an event needs TYPE:TRIGGER")?;
            let (ty, trigger) = role_arg(head)?;
            let args = args
                .iter()
                .map(|a| role_arg(a))
                .collect::<Result<Vec<_>, _>>()?;
            Kind::Event { ty, trigger, args }
        }
        Some('A' | 'M') => match words.as_slice() {
            [name, target] => Kind::Attr {
                name,
                target,
                value: None,
            },
            [name, target, value] => Kind::Attr {
                name,
                target,
                value: Some(value),
            },
            _ => return Err("an attribute needs NAME ID [VALUE]".to_owned()),
        },
        Some('N') => match words.as_slice() {
            [_ty, target, _reference] => Kind::Norm { target },
            _ => return Err("a normalisation needs TYPE ID DB:ID".to_owned()),
        },
        Some('#') => match words.as_slice() {
            [ty, target] => Kind::Note {
                ty,
                target,
                text: tail.unwrap_or_default(),
            },
            _ => return Err("a note needs TYPE ID".to_owned()),
        },
        Some('*') => match words.split_first() {
            Some((ty, members)) if members.len() >= 2 => Kind::Equiv {
                ty,
                members: members.to_vec(),
            },
            _ => return Err("an equivalence needs TYPE and two ids or more".to_owned()),
        },
        _ => return Err(format!("unknown annotation id {id:?}")),
    };
    Ok(Line { id, kind })
}
