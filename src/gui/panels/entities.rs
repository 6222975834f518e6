//! Who a source is, and who said what: the entity picker (E on a source
//! span: this article's entities and the folder's recent ones, filtered as
//! you type, same-name ones suggested first, or a new one) and the "Who
//! said what" window (the attribution table of the article or the folder,
//! grouped by entity, each row showing its claim; exported as CSV).

use egui::{Context, Key, RichText, Ui};

use crate::attrib::KnownEntity;
use crate::attrib::{Row, group};
use crate::gui::Action;
use crate::model::{EntityId, SpanId};
use crate::search::Place;
use crate::session::Session;
use crate::session::folder::Folder;

/// The picker's state: which span, what was typed, the folder's entities.
#[derive(Clone, Debug, Default)]
pub struct EntityPicker {
    /// The span being named.
    pub span: SpanId,
    /// Typed: filters the list, and names a new entity.
    pub filter: String,
    /// The role of a new entity.
    pub role: String,
    /// Entities of the folder's other articles (most recently saved first).
    pub known: Vec<KnownEntity>,
    /// The name field has had the focus once (it takes it on opening).
    pub focused: bool,
}

/// What the picker offers, in its order.
enum Choice {
    /// One of the article's entities (`true`: suggested by its name).
    Here(EntityId, String, bool),
    /// One of the folder's, not in this article yet.
    Folder(String, Option<String>),
}

impl EntityPicker {
    /// The choices for what is typed: suggestions, the article's entities,
    /// then the folder's, each once.
    fn choices(&self, session: &Session) -> Vec<Choice> {
        let ann = &session.doc().annotations;
        let key = crate::attrib::suggest::name_key(&self.filter);
        let fits =
            |name: &str| key.is_empty() || crate::attrib::suggest::name_key(name).contains(&key);
        let mut out = Vec::new();
        let suggested: Vec<EntityId> = session
            .entity_suggestions(self.span)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        for id in &suggested {
            if let Some(e) = ann.entity(*id)
                && fits(&e.display_name())
            {
                out.push(Choice::Here(e.id, e.display_name(), true));
            }
        }
        for e in ann.entities() {
            if !suggested.contains(&e.id) && fits(&e.display_name()) {
                out.push(Choice::Here(e.id, e.display_name(), false));
            }
        }
        for k in &self.known {
            let here = ann.entities().any(|e| e.name == k.name && e.role == k.role);
            if !here && fits(&k.name) {
                out.push(Choice::Folder(k.name.clone(), k.role.clone()));
            }
        }
        out
    }

    /// Draws the picker; returns whether it stays open.
    pub fn ui(&mut self, ctx: &Context, session: &Session, actions: &mut Vec<Action>) -> bool {
        let Some(span) = session.doc().annotations.span(self.span) else {
            return false;
        };
        let mut keep = true;
        let quote: String = span.text.chars().take(60).collect();
        egui::Window::new("Who is this source?")
            .collapsible(false)
            .resizable(false)
            .default_pos(crate::gui::panels::WINDOW_POS)
            .show(ctx, |ui| {
                ui.label(format!("“{}”", crate::escape::line(&quote)));
                let label = ui.label("Entity");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.filter)
                            .hint_text("type to filter, or a new name")
                            .desired_width(280.0),
                    )
                    .labelled_by(label.id);
                if !self.focused {
                    field.request_focus();
                    self.focused = true;
                }
                let choices = self.choices(session);
                let enter = ui.input(|i| i.key_pressed(Key::Enter));
                keep = self.list(ui, &choices, enter, actions);
                if ui.input(|i| i.key_pressed(Key::Escape)) {
                    keep = false;
                }
            });
        keep
    }

    /// The choices, "new entity" and "no entity"; Enter takes the first.
    fn list(
        &mut self,
        ui: &mut Ui,
        choices: &[Choice],
        enter: bool,
        actions: &mut Vec<Action>,
    ) -> bool {
        let span = self.span;
        let mut done = false;
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                for (i, c) in choices.iter().enumerate() {
                    let (text, action) = match c {
                        Choice::Here(id, name, suggested) => {
                            let mark = if *suggested { "  (same name)" } else { "" };
                            (format!("{name}{mark}"), Action::SetEntity(span, Some(*id)))
                        }
                        Choice::Folder(name, role) => (
                            format!("{name}  (from the folder)"),
                            Action::NewEntity(span, name.clone(), role.clone()),
                        ),
                    };
                    if ui
                        .selectable_label(i == 0, crate::escape::line(&text))
                        .clicked()
                        || (enter && i == 0)
                    {
                        actions.push(action);
                        done = true;
                    }
                }
            });
        let name = self.filter.trim().to_owned();
        if !name.is_empty() {
            ui.horizontal(|ui| {
                let label = ui.label("Role");
                ui.add(
                    egui::TextEdit::singleline(&mut self.role)
                        .hint_text("optional, e.g. NSC spokesman")
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
            });
            let new = ui.button(format!("New entity “{}”", crate::escape::line(&name)));
            if new.clicked() || (enter && choices.is_empty()) {
                let role = Some(self.role.trim().to_owned()).filter(|r| !r.is_empty());
                actions.push(Action::NewEntity(span, name, role));
                done = true;
            }
        }
        if ui
            .button("No entity")
            .on_hover_text("This span names no entity")
            .clicked()
        {
            actions.push(Action::SetEntity(span, None));
            done = true;
        }
        !done
    }
}

/// The "Who said what" window's state.
#[derive(Clone, Debug, Default)]
pub struct WhoSaidWhat {
    /// Show the whole folder (else the open article).
    pub folder: bool,
    /// The folder's table, read when asked for.
    pub folder_rows: Option<Grouped>,
    /// The article's table and the annotations' generation it is for:
    /// counted once per change, not per frame.
    article: Option<(u64, Grouped)>,
}

/// Rows of the attribution table with their groups.
#[derive(Clone, Debug, Default)]
pub struct Grouped {
    /// The rows.
    pub rows: Vec<Row>,
    /// Their groups by entity (or source text).
    groups: Vec<group::Group>,
}

impl Grouped {
    /// The rows, grouped.
    pub fn new(rows: Vec<Row>) -> Self {
        let groups = group::groups(&rows);
        Grouped { rows, groups }
    }
}

impl WhoSaidWhat {
    /// Draws the window; returns whether it stays open.
    pub fn ui(
        &mut self,
        ctx: &Context,
        session: &Session,
        folder: Option<&Folder>,
        actions: &mut Vec<Action>,
    ) -> bool {
        let has_folder = folder.is_some();
        let mut open = true;
        egui::Window::new("Who said what")
            .open(&mut open)
            .default_pos(crate::gui::panels::compare::right_side(ctx, 520.0))
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.folder, false, "This article");
                    if has_folder {
                        ui.radio_value(&mut self.folder, true, "The folder");
                    }
                    if ui
                        .button("Export CSV…")
                        .on_hover_text("Write the table (one row per said_by link) as CSV")
                        .clicked()
                    {
                        actions.push(Action::ExportAttributions(self.folder));
                    }
                });
                if self.folder && self.folder_rows.is_none() {
                    actions.push(Action::ReadFolderAttributions);
                }
                let generation = session.generation();
                if self.article.as_ref().is_none_or(|(g, _)| *g != generation) {
                    self.article = Some((generation, Grouped::new(session.attributions())));
                }
                let empty = Grouped::default();
                let (grouped, shown) = if self.folder {
                    (self.folder_rows.as_ref().unwrap_or(&empty), folder)
                } else {
                    (self.article.as_ref().map_or(&empty, |(_, t)| t), None)
                };
                table(ui, grouped, shown, actions);
            });
        open
    }
}

/// The rows grouped by entity (or source text), each clickable: in the
/// open article (no `folder`) it selects the claim; in the folder's table
/// it opens the article at the claim.
fn table(ui: &mut Ui, t: &Grouped, folder: Option<&Folder>, actions: &mut Vec<Action>) {
    let here = folder.is_none();
    let rows = &t.rows;
    if rows.is_empty() {
        ui.label(RichText::new("No claims or denials yet.").weak());
        return;
    }
    egui::ScrollArea::vertical()
        .max_height(420.0)
        .show(ui, |ui| {
            for g in &t.groups {
                let head = format!(
                    "{} ({}) — {} claims, {} denials, {} articles",
                    crate::escape::line(&g.name),
                    g.by.name(),
                    g.claims,
                    g.denials,
                    g.articles
                );
                egui::CollapsingHeader::new(head)
                    .default_open(true)
                    .show(ui, |ui| {
                        for &i in &g.rows {
                            let r = &rows[i];
                            let text: String = r.content.text.chars().take(80).collect();
                            let mut line = format!("{}: “{}”", r.kind, crate::escape::line(&text));
                            if !here {
                                line = format!("{} · {line}", crate::escape::line(&r.doc));
                            }
                            let resp = ui
                                .selectable_label(false, line)
                                .on_hover_text("Show it in the article");
                            if !resp.clicked() {
                                continue;
                            }
                            match folder {
                                None => actions.push(Action::Select(r.content.id)),
                                Some(f) => {
                                    if let Some(i) = f.index_of(&f.root().join(&r.doc)) {
                                        let at = r.content.start..r.content.end;
                                        actions.push(Action::OpenHit(i, Place::Article(at)));
                                    }
                                }
                            }
                        }
                    });
            }
        });
}
