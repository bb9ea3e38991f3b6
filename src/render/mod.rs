//! Stage 5 of the pipeline: the scored site → every output file, in memory (no I/O here).

pub mod charts;
mod listing;
pub mod search;
pub use crate::model::is_directory_slug;
pub mod templates;
pub mod views;

use crate::cache::Memo;
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::model::Site;
use crate::model::employer::Employer;
use crate::model::ids::{Band, Outcome, Stage};
pub use crate::output::OutputFile;
use crate::output::data as export;
use crate::output::images::{ImageSet, Images};
use crate::privacy::Publication;
use crate::scoring::{Judgement, Scorecard, stats};
use charts::Row;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use templates::{Templates, context};
use views::*;

/// Where rendered files go: memory for `check` and the dev server, the staging folder for a build.
pub type Sink<'a> = dyn Fn(OutputFile) -> anyhow::Result<()> + Sync + 'a;

/// Collects the outcome of handing files to a sink from many threads.
struct Emitter<'a, 'b> {
    sink: &'a Sink<'b>,
    count: AtomicUsize,
    diags: Mutex<Diagnostics>,
    failure: Mutex<Option<anyhow::Error>>,
    /// Paths of HTML pages, for the sitemap.
    pages: Mutex<Vec<String>>,
}

impl Emitter<'_, '_> {
    fn emit(&self, r: Result<OutputFile, Diagnostic>) {
        match r {
            Ok(f) => {
                if f.path.ends_with(".html") {
                    self.pages.lock().expect("emit lock").push(f.path.clone());
                }
                if let Err(e) = (self.sink)(f) {
                    self.failure.lock().expect("emit lock").get_or_insert(e);
                }
                self.count.fetch_add(1, Ordering::Relaxed);
            }
            Err(d) => self.diags.lock().expect("emit lock").push(d),
        }
    }

    fn finish(self) -> Result<usize, BuildError> {
        let diags = self.diags.into_inner().expect("emit lock");
        if !diags.is_empty() {
            return Err(diags.into());
        }
        if let Some(e) = self.failure.into_inner().expect("emit lock") {
            return Err(BuildError::Io(e));
        }
        Ok(self.count.into_inner())
    }
}

/// An employer with its scorecard. Its publishable tables ([`Publication`]) travel separately:
/// only the employer's own data record needs them, so they are dropped once it is written.
pub struct Scored<'a> {
    pub employer: &'a Employer,
    pub card: Scorecard,
}

/// The employer page's data, typed so it goes straight into the template context.
#[derive(Serialize)]
struct EmployerPage<'a> {
    employer: EmployerView<'a>,
}

/// Stories in the Atom feed.
const FEED_ENTRIES: usize = 50;
/// Stories longer than this appear in the feed by summary only: their full text would be
/// rendered a second time while the story page renders it, doubling the build's peak memory,
/// and no feed reader wants a book in one entry.
const FEED_FULL_WORDS: usize = 50_000;
/// A story whose full text, escaped into the feed, would take more than this appears by summary
/// only, so `feed.xml` stays under about `FEED_ENTRIES` MB whatever the stories hold (a story of
/// few words and much markup passes the word limit: two of 161 KB once made a 389 MB feed).
/// A 50,000-word story takes about 400 KB.
const FEED_ENTRY_BYTES: usize = 1 << 20;

/// The order stages appear on a scorecard.
const STAGE_ORDER: [Stage; 7] = [
    Stage::Applicants,
    Stage::Starts,
    Stage::Makeup,
    Stage::Level(Band::L2),
    Stage::Level(Band::L3),
    Stage::Level(Band::L4To5),
    Stage::Level(Band::L6To7),
];

/// What rendering remembers between builds of one process: each page's bytes, keyed by its
/// template (with what it extends) and its whole context, and each Markdown body's HTML.
#[derive(Default)]
pub struct RenderMemo {
    pub rendered: Memo<Vec<u8>>,
    pub markdown: Memo<crate::load::markdown::Rendered>,
}

impl RenderMemo {
    pub fn off() -> Self {
        RenderMemo { rendered: Memo::off(), markdown: Memo::off() }
    }

    pub fn sweep(&self) {
        self.rendered.sweep();
        self.markdown.sweep();
    }
}

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub scored: &'a [Scored<'a>],
    pub templates: &'a Templates,
    pub view: SiteView,
    /// `view` as a template value, made once: every page shares it (values are reference-counted).
    site_value: tera::Value,
    cache: &'a RenderMemo,
    /// How story bodies write links to the site itself (below the base path).
    links: crate::load::markdown::SiteLinks,
    /// The widths of the pictures beside stories.
    images: Option<&'a Images>,
    /// The social cards the pages name, drawn once the pages are rendered.
    cards: crate::output::cards::Cards,
    /// Where cards drawn by earlier builds are kept; without one, cards are named but not drawn
    /// (a build with problems renders only to find more of them).
    cards_cache: Option<crate::output::images::Cache<'a>>,
    /// The card of the site as a whole (its path and text): the home page's, and every page's
    /// that has none of its own.
    site_card: (String, String),
    /// How many cards this build drew and took from the cache.
    pub cards_drawn: Mutex<crate::output::cards::Drawn>,
}

/// Each employer's card (its path and text), by slug.
type EmployerCards<'a> = HashMap<&'a str, (String, String)>;

/// A story's picture at the top of its page.
#[derive(Serialize)]
struct Hero {
    src: String,
    srcset: String,
    sizes: &'static str,
    alt: String,
    width: u32,
    height: u32,
}

/// A file name as it goes into a URL (`srcset` separates its entries with commas and spaces).
fn url_name(name: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b',')
        .add(b'<')
        .add(b'>')
        .add(b'#')
        .add(b'?')
        .add(b'%')
        .add(b'&')
        .add(b'\'');
    percent_encoding::utf8_percent_encode(name, SET).to_string()
}

/// The `src` and the responsive attributes of an `<img>` showing `set`, its files named
/// relative to the page; its `width` and `height` unless the editor's tag gives a size of its own.
fn responsive_attributes(set: &ImageSet, with_size: bool) -> String {
    let largest = set.largest();
    let srcset: Vec<String> = set.variants.iter().map(|v| format!("{} {}w", url_name(&v.file), v.width)).collect();
    let size =
        if with_size { format!(" width=\"{}\" height=\"{}\"", largest.width, largest.height) } else { String::new() };
    format!(
        "src=\"{}\" srcset=\"{}\" sizes=\"{}\"{size}",
        url_name(&largest.file),
        srcset.join(", "),
        crate::output::images::SIZES,
    )
}

// An attribute's value as text: the escapes the Markdown writer and the sanitiser use undone
// (`it&#x27;s.jpg` is the file `it's.jpg`).
use crate::load::markdown::attribute_text;

/// `html` with each `<img>` that shows a picture beside the story given its widths, and each
/// link to such a picture pointed at its widest copy (the picture itself is never published as
/// it is: it may carry metadata).
fn responsive_images(html: &str, slug: &str, images: &Images) -> String {
    const IMG: &str = "<img src=\"";
    const LINK: &str = "<a href=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = [IMG, LINK].into_iter().filter_map(|open| rest.find(open).map(|at| (at, open))).min();
        let Some((at, open)) = next else { break };
        let value_start = at + open.len();
        let Some(len) = rest[value_start..].find('"') else { break };
        let value = &rest[value_start..value_start + len];
        let src = attribute_text(value);
        let set = crate::model::story::bundle_name(&src).and_then(|name| images.get(slug, &name));
        out.push_str(&rest[..at]);
        match (set, open) {
            (Some(set), IMG) => {
                // An `<img>` the editor sized (`width="300"`) keeps that size: a second `width`
                // would be invalid, and browsers keep the first.
                let tag = &rest[value_start + len + 1..];
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                let sized = [" width=", " height="].iter().any(|a| tag.to_ascii_lowercase().contains(a));
                out.push_str("<img ");
                out.push_str(&responsive_attributes(set, !sized));
            }
            (Some(set), _) => {
                out.push_str(LINK);
                out.push_str(&url_name(&set.largest().file));
                out.push('"');
            }
            (None, _) => out.push_str(&rest[at..value_start + len + 1]),
        }
        rest = &rest[value_start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// `html` with every `src`, `href` and `srcset` URL made absolute against `page` (the absolute
/// URL of the page it was written for): a feed reader shows an entry away from its page, where
/// `photo-480.jpg` or `/sub/static/p.png` lead nowhere. A fragment alone (`#x`) becomes the
/// page's address with it (a reader resolves it against the feed's address, which has no such
/// part), and URLs that do not parse are left as they are.
fn absolute_urls(html: &str, page: &url::Url) -> String {
    let absolute = |value: &str| -> String {
        let text = attribute_text(value);
        match page.join(text.trim()) {
            Ok(u) => escape_attribute(u.as_str()),
            Err(_) => value.to_string(),
        }
    };
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    // One pass over `="`, which only ever opens an attribute's value here (text escapes `"`).
    while let Some(eq) = rest.find("=\"") {
        let value_start = eq + 2;
        let Some(len) = rest[value_start..].find('"') else { break };
        let value = &rest[value_start..value_start + len];
        let name = &rest[..eq];
        let name = &name[name.rfind(|c: char| c.is_ascii_whitespace()).map_or(0, |i| i + 1)..];
        out.push_str(&rest[..value_start]);
        match name {
            "srcset" => {
                // `a-480.jpg 480w, a-960.jpg 960w`: each candidate's URL, its width kept.
                let candidates: Vec<String> = value
                    .split(',')
                    .map(|c| {
                        let c = c.trim();
                        match c.split_once(' ') {
                            Some((u, w)) => format!("{} {}", absolute(u), w.trim()),
                            None => absolute(c),
                        }
                    })
                    .collect();
                out.push_str(&candidates.join(", "));
            }
            "src" | "href" => out.push_str(&absolute(value)),
            _ => out.push_str(value),
        }
        out.push('"');
        rest = &rest[value_start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// A URL as an attribute's value (`&` and `"` escaped).
fn escape_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;")
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, scored: &'a [Scored<'a>], templates: &'a Templates, cache: &'a RenderMemo) -> Self {
        let view = SiteView::new(&site.config, &site.pages);
        let site_value = tera::Value::from_serializable(&view);
        let links = crate::model::links::site_links(&site.config);
        let cards = crate::output::cards::Cards::default();
        let site_card = cards.want(site_card(site));
        Renderer {
            site,
            scored,
            templates,
            view,
            site_value,
            cache,
            links,
            images: None,
            cards,
            cards_cache: None,
            site_card,
            cards_drawn: Mutex::default(),
        }
    }

    /// Draw the pages' social cards, taking those an earlier build drew from `cache`.
    pub fn with_cards(mut self, cache: crate::output::images::Cache<'a>) -> Self {
        self.cards_cache = Some(cache);
        self
    }

    /// Give `meta` the card `card` (and note that the build must draw it).
    fn with_card(&self, mut meta: PageMeta, card: crate::output::cards::Card) -> PageMeta {
        let (path, alt) = self.cards.want(card);
        meta.image = Some(path);
        meta.image_alt = Some(alt);
        meta
    }

    /// The card of an employer's page: its headline, which many employers share (the page's
    /// title, the employer's name, travels beside the card in every link preview).
    fn employer_card(&self, s: &Scored<'_>) -> crate::output::cards::Card {
        let h = &s.card.headline;
        crate::output::cards::Card {
            kicker: "Employer scorecard".into(),
            title: if h.assessable == 0 {
                "Data targets not yet assessable".into()
            } else {
                format!("{} of {} data {} met", h.met, h.total, plural(h.total, "target", "targets"))
            },
            lines: vec![format!(
                "{} of {} toolkit {} in place",
                h.practices_in_place,
                h.practices_applicable,
                plural(h.practices_applicable, "practice", "practices")
            )],
            site: self.site.config.title.clone(),
            picture: None,
            background: self.site.config.accents().map(|(light, _)| light),
        }
    }

    /// The widths of the pictures beside stories, for their `<img>`s.
    pub fn with_images(mut self, images: &'a Images) -> Self {
        self.images = Some(images);
        self
    }

    fn base(&self) -> &str {
        &self.view.base
    }

    /// Render one page, or reuse the previous build's bytes when its template (with what it
    /// extends) and its whole context are unchanged.
    fn page<T: Serialize>(
        &self,
        template: &str,
        out: &str,
        mut meta: PageMeta,
        body: T,
    ) -> Result<OutputFile, Diagnostic> {
        if meta.image.is_none() {
            meta.image = Some(self.site_card.0.clone());
            meta.image_alt = Some(self.site_card.1.clone());
        }
        // The body's fields at the top level, beside `site` (one shared value) and `page`.
        let render = || {
            let mut ctx = context(&body);
            ctx.insert_value("site", self.site_value.clone());
            ctx.insert("page", &meta);
            self.templates.render(template, &ctx)
        };
        if !self.cache.rendered.enabled() {
            return Ok(OutputFile { path: out.to_string(), bytes: render()? });
        }
        let data = serde_json::to_vec(&(&self.view, &meta, &body))
            .map_err(|e| Diagnostic::new(out, format!("cannot prepare page data: {e}")))?;
        let fingerprint = self.templates.fingerprint(template).to_le_bytes();
        let k = crate::cache::key(&[template.as_bytes(), &fingerprint, &data]);
        Ok(OutputFile { path: out.to_string(), bytes: self.cache.rendered.get_or(k, render)? })
    }

    /// Everything the site publishes, handed to `sink` page by page as it is rendered (pages
    /// are rendered in parallel, so the whole site is never held in memory). Returns how many
    /// files were produced; every template problem is reported, not just the first.
    /// `publications` are in the same order as the scorecards.
    pub fn render_all(
        &self,
        progress: &dyn crate::progress::Progress,
        sink: &Sink<'_>,
        publications: &[Publication],
    ) -> Result<usize, BuildError> {
        progress.pages(self.page_count());
        let out = Emitter {
            sink,
            count: AtomicUsize::new(0),
            diags: Mutex::default(),
            failure: Mutex::default(),
            pages: Mutex::default(),
        };
        let theme_titles: ThemeTitles =
            self.site.benchmarks.chapters.iter().map(|c| (c.id.clone(), c.title.clone())).collect();
        let stories = self.story_summaries(&theme_titles);
        let summaries: Vec<EmployerSummary> =
            self.scored.iter().map(|s| EmployerSummary::new(s.employer, &s.card, self.base())).collect();
        let mut by_employer: HashMap<&str, Vec<&StorySummary<'_>>> = HashMap::new();
        for st in &stories {
            if let Some(e) = st.employer_slug() {
                by_employer.entry(e).or_default().push(st);
            }
        }
        let cards: EmployerCards<'_> = self
            .scored
            .par_iter()
            .map(|s| (s.employer.slug.as_str(), self.cards.want(self.employer_card(s))))
            .collect();
        // Listing pages, data files and the per-employer and per-story pages all run at once.
        let emitter = &out;
        let (summaries, stories, by_employer, cards) = (&summaries, &stories, &by_employer, &cards);
        // The search index: every employer, story and page, its words collected as the pages
        // are rendered (a story's body is read once, for its page) and written once all are.
        let employer_docs = self.scored.len();
        let index = search::Builder::new(employer_docs + stories.len() + self.site.pages.len() + 1);
        let search = &index;
        rayon::scope(|sc| {
            let out = emitter;
            // Pages and data files that hold every employer or story, one after another so only
            // one of them is in memory at once.
            sc.spawn(move |_| {
                out.emit(self.home(summaries, stories));
                self.tool_pages().into_iter().for_each(|r| out.emit(r));
                self.directory_pages(summaries, out);
                self.data_files(&|f| out.emit(Ok(f)));
                self.search_documents(summaries, search);
            });
            sc.spawn(move |_| out.emit(self.methodology()));
            sc.spawn(move |_| out.emit(self.page("404.html", "404.html", meta("Page not found", "", ""), ())));
            sc.spawn(move |_| self.group_pages(summaries, stories, out));
            sc.spawn(move |_| self.story_index_pages(stories, out));
            sc.spawn(move |_| self.themes(stories, out));
            sc.spawn(move |_| {
                for p in &self.site.pages {
                    out.emit(self.page(
                        "page.html",
                        &format!("{}/index.html", p.slug),
                        meta(&p.title, &p.description, &format!("{}/", p.slug)),
                        serde_json::json!({ "content": p.html }),
                    ));
                }
            });
            sc.spawn(move |_| self.badges(out));
            sc.spawn(move |_| {
                for (n, bytes) in crate::output::schema::files(Some(&self.site.benchmarks)) {
                    out.emit(Ok(OutputFile { path: format!("schemas/{n}"), bytes }));
                }
            });
            sc.spawn(move |_| {
                let employers = self.scored.par_iter().zip(summaries.par_iter()).zip(publications);
                employers.with_max_len(crate::PIECE).for_each(|((s, sum), p)| {
                    let linked = by_employer.get(sum.slug.as_str()).map(Vec::as_slice).unwrap_or_default();
                    out.emit(self.employer(s, sum, linked, cards));
                    out.emit(Ok(self.employer_record(s, p)));
                    progress.page_done();
                });
            });
            sc.spawn(move |_| {
                let all = self.site.stories.par_iter().zip(stories.par_iter()).enumerate();
                all.with_max_len(crate::PIECE).for_each(|(i, (s, sum))| {
                    out.emit(self.story(i, s, sum, stories, cards, search));
                    progress.page_done();
                });
            });
        });
        if let Some(cache) = &self.cards_cache {
            match self.cards.publish(cache, &|f| {
                out.emit(Ok(f));
                Ok(())
            }) {
                Ok(d) => *self.cards_drawn.lock().expect("cards lock") = d,
                Err(e) => {
                    out.failure.lock().expect("emit lock").get_or_insert(e);
                }
            }
        }
        self.write_search(index, summaries, stories, &|f| out.emit(Ok(f)));
        let pages = std::mem::take(&mut *out.pages.lock().expect("emit lock"));
        for f in self.discovery(&pages, stories) {
            out.emit(Ok(f));
        }
        out.finish()
    }

    /// Employer and story pages: the bulk of a build, counted on the progress bar.
    fn page_count(&self) -> usize {
        self.scored.len() + self.site.stories.len()
    }

    fn story_summaries<'s>(&'s self, themes: &'s ThemeTitles) -> Vec<StorySummary<'s>> {
        let by_slug: HashMap<&str, &str> =
            self.site.employers.iter().map(|e| (e.slug.as_str(), e.name.as_str())).collect();
        self.site
            .stories
            .iter()
            .map(|s| {
                let name = s.employer.as_ref().and_then(|e| by_slug.get(e.value.as_str()).copied());
                StorySummary::new(s, self.base(), name, themes)
            })
            .collect()
    }

    fn home(&self, employers: &[EmployerSummary], stories: &[StorySummary<'_>]) -> Result<OutputFile, Diagnostic> {
        #[derive(Serialize)]
        struct Benchmark<'a> {
            question: &'a str,
            professional: f64,
            intermediate: f64,
            working_class: f64,
        }
        #[derive(Serialize)]
        struct Home<'a> {
            stories: &'a [StorySummary<'a>],
            employer_count: usize,
            story_count: usize,
            benchmark: Benchmark<'a>,
            /// Each target with how many employers meet it, do not, cannot yet be told apart,
            /// or cannot be assessed: counts of the verdicts every scorecard publishes.
            targets: Vec<TargetTally>,
            sectors: Vec<listing::GroupLink>,
            regions: Vec<listing::GroupLink>,
        }
        #[derive(Serialize, Default)]
        struct TargetTally {
            title: String,
            met: usize,
            not_met: usize,
            inconclusive: usize,
            not_assessable: usize,
        }
        let mut targets: Vec<TargetTally> = Vec::new();
        for s in self.scored {
            for row in &s.card.rows {
                let i = match targets.iter().position(|t| t.title == row.title) {
                    Some(i) => i,
                    None => {
                        targets.push(TargetTally { title: row.title.clone(), ..TargetTally::default() });
                        targets.len() - 1
                    }
                };
                let t = &mut targets[i];
                match row.verdict {
                    crate::scoring::judgement::Verdict::Met => t.met += 1,
                    crate::scoring::judgement::Verdict::NotMet => t.not_met += 1,
                    crate::scoring::judgement::Verdict::Inconclusive => t.inconclusive += 1,
                    crate::scoring::judgement::Verdict::NotAssessable => t.not_assessable += 1,
                }
            }
        }
        let kq = &self.site.benchmarks.key_question;
        let body = Home {
            stories: &stories[..stories.len().min(5)],
            employer_count: employers.len(),
            story_count: stories.len(),
            targets,
            sectors: listing::group_links(employers, "sector", self.base()),
            regions: listing::group_links(employers, "region", self.base()),
            benchmark: Benchmark {
                question: &kq.question,
                professional: kq.professional.value,
                intermediate: kq.intermediate.value,
                working_class: kq.working_class.value,
            },
        };
        self.page("index.html", "index.html", meta(&self.site.config.title, &self.site.config.description, ""), body)
    }

    /// One listing per toolkit chapter, paginated like the story index.
    fn themes(&self, stories: &[StorySummary<'_>], out: &Emitter<'_, '_>) {
        self.site.benchmarks.chapters.par_iter().for_each(|ch| {
            let url = format!("{}themes/{}/", self.base(), ch.id);
            let tagged: Vec<&StorySummary<'_>> = stories.iter().filter(|s| s.has_theme(&ch.id)).collect();
            let title = format!("Stories about {}", ch.title.to_lowercase());
            listing::paginate(&url, &tagged, self.site.config.stories_per_page).into_par_iter().for_each(|page| {
                let path = page.url.trim_start_matches(self.base()).to_string();
                let page_title =
                    if page.number == 1 { title.clone() } else { format!("{title}, page {}", page.number) };
                out.emit(self.page(
                    "theme.html",
                    &format!("{path}index.html"),
                    meta(&page_title, "", &path),
                    listing::Listing { chapter: Some(ch), stories: page.items, pager: &page },
                ));
            });
        });
    }

    /// A story's body as HTML: read from its file now (bodies are not kept in memory) and
    /// rendered, or taken from the dev server's memo when the body is unchanged.
    fn story_html(&self, s: &crate::model::story::Story) -> Result<String, Diagnostic> {
        let body = crate::load::story_body(std::path::Path::new(&s.source_path), &s.file, s.digest)?;
        // Hashing every body costs more than it saves when nothing is remembered.
        let k = if self.cache.rendered.enabled() {
            crate::cache::key(&[b"markdown", self.links.base_path.as_bytes(), body.as_bytes()])
        } else {
            0
        };
        let rendered = self.cache.markdown.compute(k, || crate::load::markdown::render_with(&body, &self.links));
        match rendered.too_complex {
            Some(why) => Err(Diagnostic::new(&s.source_path, format!("the story is not built: {why}"))),
            None => match (self.images, &s.bundle) {
                (Some(images), Some(_)) => Ok(responsive_images(&rendered.html, &s.slug, images)),
                _ => Ok(rendered.html),
            },
        }
    }

    fn story<'s>(
        &self,
        i: usize,
        s: &crate::model::story::Story,
        sum: &StorySummary<'s>,
        all: &'s [StorySummary<'s>],
        cards: &EmployerCards<'_>,
        search: &search::Builder,
    ) -> Result<OutputFile, Diagnostic> {
        // Typed rather than `json!`: the bulk of a build, so no intermediate JSON tree.
        #[derive(Serialize)]
        struct StoryPage<'a> {
            story: &'a StorySummary<'a>,
            content: String,
            author: &'a Option<String>,
            quote: &'a Option<String>,
            newer: Option<Neighbour<'a>>,
            older: Option<Neighbour<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            hero: Option<Hero>,
        }
        /// The stories either side, as the previous/next links need them.
        #[derive(Serialize)]
        struct Neighbour<'a> {
            slug: &'a str,
            title: &'a str,
            url: String,
            date: String,
        }
        let neighbour = |n: &'s StorySummary<'s>| Neighbour {
            slug: &n.story.slug,
            title: &n.story.title,
            url: n.url(),
            date: n.date(),
        };
        let content = self.story_html(s)?;
        search.add(
            self.scored.len() + i,
            &[&s.title],
            &[&s.summary, sum.employer_name().unwrap_or_default()],
            &[&content],
        );
        // Stories are newest first: "previous" is the older one.
        let body = StoryPage {
            story: sum,
            content,
            author: &s.author,
            quote: &s.quote,
            newer: i.checked_sub(1).and_then(|j| all.get(j)).map(neighbour),
            older: all.get(i + 1).map(neighbour),
            hero: None,
        };
        let mut page_meta = meta(&s.title, &s.summary, &format!("stories/{}/", s.slug));
        let mut body = body;
        // A story without a picture of its own is shared with its employer's card.
        if let Some((path, alt)) = s.employer.as_ref().and_then(|e| cards.get(e.value.as_str())) {
            page_meta.image = Some(path.clone());
            page_meta.image_alt = Some(alt.clone());
        }
        if let (Some(image), Some(alt), Some(images)) = (&s.image, &s.image_alt, self.images)
            && let Some(set) = images.get(&s.slug, image.value.trim())
        {
            let largest = set.largest();
            // The story's own card: its picture under its title.
            let picture = s
                .bundle
                .as_ref()
                .and_then(|b| crate::output::cards::Picture::new(b, image.value.trim(), alt.value.trim()));
            if let Some(picture) = picture {
                let card = crate::output::cards::Card {
                    kicker: sum.employer_name().unwrap_or("Story").to_string(),
                    title: s.title.clone(),
                    lines: Vec::new(),
                    site: self.site.config.title.clone(),
                    picture: Some(picture),
                    background: self.site.config.accents().map(|(light, _)| light),
                };
                page_meta = self.with_card(page_meta, card);
            }
            body.hero = Some(Hero {
                src: url_name(&largest.file),
                srcset: set
                    .variants
                    .iter()
                    .map(|v| format!("{} {}w", url_name(&v.file), v.width))
                    .collect::<Vec<_>>()
                    .join(", "),
                sizes: crate::output::images::SIZES,
                alt: alt.value.trim().to_string(),
                width: largest.width,
                height: largest.height,
            });
        }
        self.page("story.html", &format!("stories/{}/index.html", s.slug), page_meta, body)
    }

    fn employer(
        &self,
        s: &Scored<'_>,
        summary: &EmployerSummary,
        stories: &[&StorySummary<'_>],
        cards: &EmployerCards<'_>,
    ) -> Result<OutputFile, Diagnostic> {
        let e = s.employer;
        let view = self.employer_view(s, summary, stories);
        let description = format!("{}: {}", e.name, s.card.headline.text);
        let mut page_meta = meta(&e.name, &description, &format!("employers/{}/", e.slug));
        if let Some((path, alt)) = cards.get(e.slug.as_str()) {
            page_meta.image = Some(path.clone());
            page_meta.image_alt = Some(alt.clone());
        }
        self.page(
            "employer.html",
            &format!("employers/{}/index.html", e.slug),
            page_meta,
            EmployerPage { employer: view },
        )
    }

    fn employer_view<'v>(
        &self,
        s: &'v Scored<'_>,
        summary: &'v EmployerSummary,
        stories: &[&StorySummary<'v>],
    ) -> EmployerView<'v> {
        let e = s.employer;
        let card = &s.card;
        let stages: Vec<StageView<'v>> = STAGE_ORDER
            .iter()
            .filter_map(|stage| card.representation.get(stage).map(|dims| (stage.id(), dims)))
            .filter_map(|(id, dims)| {
                let latest = dims.last()?;
                let trend_chart = (dims.len() > 1).then(|| {
                    let rows: Vec<Row<'_>> = dims.iter().map(|d| share_row(d.period.to_string(), d)).collect();
                    charts::shares(
                        &format!("trend-{id}"),
                        &format!("{}: working-class share by year", latest.title),
                        &rows,
                        latest.benchmark,
                    )
                });
                Some(StageView { id, title: &latest.title, latest, history: dims, trend_chart })
            })
            .collect();
        let outcomes: Vec<OutcomeView<'v>> = Outcome::ALL
            .iter()
            .filter_map(|outcome| {
                let dims = card.outcomes.get(outcome)?;
                let latest = dims.last()?;
                Some(OutcomeView { id: outcome.id(), title: &latest.title, latest, history: dims })
            })
            .collect();
        let share_rows: Vec<Row<'_>> = stages
            .iter()
            .map(|st| Row { break_before: false, ..share_row(format!("{} {}", st.title, st.latest.period), st.latest) })
            .collect();
        let benchmark = self.site.benchmarks.key_question.working_class.value;
        let share_chart = charts::shares(
            &format!("share-{}", e.slug),
            "Working-class share of classified answers, latest period",
            &share_rows,
            benchmark,
        );
        let gap_rows: Vec<Row<'_>> = outcomes
            .iter()
            .map(|o| Row {
                label: format!("{} {}", o.title, o.latest.period),
                estimate: o.latest.gap,
                judgement: o.latest.judgement,
                note: note_for(o.latest.gap.is_none(), o.latest.judgement),
                break_before: false,
            })
            .collect();
        let gap_chart = (!gap_rows.is_empty()).then(|| {
            charts::gaps(
                &format!("gap-{}", e.slug),
                "Working-class rate minus professional rate, in percentage points",
                &gap_rows,
                self.site.benchmarks.method.comparable_margin.value,
            )
        });
        let base_url = &self.view.base_url;
        let page_url = format!("{base_url}employers/{}/", e.slug);
        let badge_url = format!("{base_url}employers/{}/badge.svg", e.slug);
        let badge_snippet = format!(
            "<a href=\"{page_url}\"><img src=\"{badge_url}\" alt=\"{}: {}\" width=\"300\" height=\"72\"></a>",
            xml(&e.name),
            xml(&card.headline.text)
        );
        let p = &e.pledges;
        let pledges = [
            (p.social_mobility_pledge, "Has made the Social Mobility Pledge"),
            (p.employer_index_entrant, "Entered the Social Mobility Employer Index"),
            (p.levy_transfer, "Transfers unspent apprenticeship levy"),
            (p.voluntary_living_wage, "Pays apprentices the voluntary living wage"),
            (p.protects_off_the_job_time, "Protects 20% off-the-job training time"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, t)| *t)
        .collect();
        EmployerView {
            summary,
            website: &e.website,
            logo: &e.logo,
            levy_payer: e.levy_payer,
            commitment_html: &e.commitment_html,
            pledges,
            card: CardView::new(card),
            stages,
            outcomes,
            share_chart,
            gap_chart,
            stories: stories.iter().map(|s| **s).collect(),
            badge_url: format!("{}employers/{}/badge.svg", self.base(), e.slug),
            badge_snippet,
            data_url: format!("{}data/employers/{}.json", self.base(), e.slug),
        }
    }

    fn methodology(&self) -> Result<OutputFile, Diagnostic> {
        let b = &self.site.benchmarks;
        let z = b.method.z;
        let w = stats::wilson(15, 60, z);
        let g = stats::newcombe(18, 30, 30, 40, z);
        let g2 = stats::newcombe(45, 75, 80, 100, z);
        // Threshold−1 working-class starts out of at least 200 (more where the threshold is high,
        // so the example never asks for more successes than trials).
        let favourable_n = (self.site.config.anonymity_threshold as u64 * 20).max(200);
        let favourable = stats::wilson(self.site.config.anonymity_threshold as u64 - 1, favourable_n, z);
        let margin = b.method.comparable_margin.value;
        // Item-by-item worked examples of the method changes, computed rather than typed in.
        let small = stats::wilson(10, 40, z);
        let (stock_year, stock_pooled) = (stats::wilson(30, 100, z), stats::wilson(90, 300, z));
        let (small_gap, small_ratio) = (stats::newcombe(10, 250, 20, 250, z), stats::koopman(10, 250, 20, 250, z));
        let rate_text =
            crate::scoring::representation::rate_against(131.0 / 200.0, b.key_question.response_rate_target.value);
        let labels: Vec<Judgement> = vec![
            Judgement::AboveBenchmark,
            Judgement::InLine,
            Judgement::TooFewToTell,
            Judgement::BelowBenchmark,
            Judgement::Higher,
            Judgement::Lower,
            Judgement::Comparable,
            Judgement::NoClearDifference,
            Judgement::NotEnoughData,
        ];
        let cite = |source: &str, page: &Option<String>| {
            let s = b.source(source);
            serde_json::json!({
                "title": s.map(|s| s.title.clone()).unwrap_or_default(),
                "publisher": s.map(|s| s.publisher.clone()).unwrap_or_default(),
                "year": s.map(|s| s.year),
                "url": s.and_then(|s| s.url.clone()),
                "page": page,
            })
        };
        let figures: Vec<serde_json::Value> = b
            .figures()
            .iter()
            .map(|(field, f)| serde_json::json!({ "field": field, "value": f.value, "note": f.note, "cite": cite(&f.source, &f.page) }))
            .collect();
        let categories: Vec<serde_json::Value> = b
            .categories
            .iter()
            .map(|c| serde_json::json!({ "category": c, "cite": cite(&c.target_source.source, &c.target_source.page) }))
            .collect();
        let context_figures: Vec<serde_json::Value> =
            b.context.iter().map(|c| serde_json::json!({ "figure": c, "cite": cite(&c.source, &c.page) })).collect();
        let body = serde_json::json!({
            "b": b,
            "threshold": self.site.config.anonymity_threshold,
            "figures": figures,
            "categories": categories,
            "context_figures": context_figures,
            "labels": labels,
            "example": {
                "share": w, "gap": g, "gap_lower": g2, "favourable": favourable,
                "share_judgement": Judgement::of_share(w.lo, w.hi, b.key_question.working_class.value, margin),
                "gap_judgement": Judgement::of_gap(g, Some(stats::koopman(18, 30, 30, 40, z)), margin, b.ratio_bounds()),
                "gap_lower_judgement": Judgement::of_gap(g2, Some(stats::koopman(45, 75, 80, 100, z)), margin, b.ratio_bounds()),
                "small": small, "small_judgement": Judgement::of_share(small.lo, small.hi, b.key_question.working_class.value, margin),
                "small_rates": small_gap, "small_ratio": small_ratio,
                "small_rates_judgement": Judgement::of_gap(small_gap, Some(small_ratio), margin, b.ratio_bounds()),
                "rate_text": rate_text,
                "stock_year": stock_year, "stock_pooled": stock_pooled,
                "stock_year_judgement": Judgement::of_share(stock_year.lo, stock_year.hi, b.key_question.working_class.value, margin),
                "stock_pooled_judgement": Judgement::of_share(stock_pooled.lo, stock_pooled.hi, b.key_question.working_class.value, margin),
                "favourable_n": favourable_n,
                "favourable_x": self.site.config.anonymity_threshold - 1,
            },
            "columns": {
                "employers": export::EMPLOYER_COLUMNS,
                "representation": export::REPRESENTATION_COLUMNS,
                "outcomes": export::OUTCOME_COLUMNS,
            },
        });
        self.page(
            "methodology.html",
            "methodology/index.html",
            meta("Methodology", "How every number on this site is computed, where each benchmark comes from, and how apprentices are protected.", "methodology/"),
            body,
        )
    }

    /// One employer's full open data record, `data/employers/<slug>.json`.
    fn employer_record(&self, s: &Scored<'_>, publication: &Publication) -> OutputFile {
        let url = format!("{}employers/{}/", self.view.base_url, s.employer.slug);
        let record = export::record(s.employer, &s.card, publication, url);
        OutputFile { path: format!("data/employers/{}.json", s.employer.slug), bytes: export::compact_json(&record) }
    }

    /// CSV files and the `scorecards.json` index, each handed to `emit` as soon as it is made.
    fn data_files(&self, emit: &(dyn Fn(OutputFile) + Sync)) {
        let rows: Vec<(&Employer, &Scorecard)> = self.scored.iter().map(|s| (s.employer, &s.card)).collect();
        let categories: Vec<String> = self.site.benchmarks.categories.iter().map(|c| c.id.clone()).collect();
        let index: Vec<export::IndexEntry<'_>> = self
            .scored
            .iter()
            .map(|s| {
                export::index_entry(
                    s.employer,
                    &s.card,
                    format!("{}employers/{}/", self.view.base_url, s.employer.slug),
                    format!("{}data/employers/{}.json", self.view.base_url, s.employer.slug),
                )
            })
            .collect();
        let all = export::AllScorecards {
            benchmark_set: &self.site.benchmarks.id,
            benchmark_version: &self.site.benchmarks.version,
            anonymity_threshold: self.site.config.anonymity_threshold,
            withheld_symbol: crate::privacy::WITHHELD,
            employers: &index,
        };
        emit(OutputFile { path: "data/scorecards.json".into(), bytes: export::compact_json(&all) });
        emit(OutputFile { path: "data/employers.csv".into(), bytes: export::employers_csv(&rows, &categories) });
        emit(OutputFile { path: "data/representation.csv".into(), bytes: export::representation_csv(&rows) });
        emit(OutputFile { path: "data/outcomes.csv".into(), bytes: export::outcomes_csv(&rows) });
    }

    fn badges(&self, out: &Emitter<'_, '_>) {
        self.scored.par_iter().for_each(|s| {
            let h = &s.card.headline;
            let svg = charts::badge(&charts::Badge {
                site: &self.site.config.title,
                name: &s.employer.name,
                targets: &h.targets_text,
                practices: h.practices_in_place,
                applicable: h.practices_applicable,
                year: s.employer.latest_year,
            });
            out.emit(Ok(OutputFile {
                path: format!("employers/{}/badge.svg", s.employer.slug),
                bytes: svg.into_bytes(),
            }))
        });
    }

    /// Sitemap of every HTML page but the 404, robots.txt and the feed.
    fn discovery(&self, files: &[String], stories: &[StorySummary<'_>]) -> Vec<OutputFile> {
        let files: Vec<&String> = files.iter().filter(|p| p.as_str() != "404.html").collect();
        let base_url = &self.view.base_url;
        let mut paths: Vec<String> = files
            .iter()
            .filter(|p| p.ends_with("index.html"))
            .map(|p| p.trim_end_matches("index.html").to_string())
            .collect();
        paths.sort();
        let mut out = sitemaps(base_url, &paths, SITEMAP_URLS);
        let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n");
        out.push(OutputFile { path: "robots.txt".into(), bytes: robots.into_bytes() });
        out.push(OutputFile { path: "feed.xml".into(), bytes: self.feed(stories).into_bytes() });
        out
    }

    /// Atom 1.0 feed of stories; `updated` comes from the newest story, never the clock.
    fn feed(&self, stories: &[StorySummary<'_>]) -> String {
        let base_url = &self.view.base_url;
        let updated = stories.first().map(|s| s.date()).unwrap_or_else(|| "2000-01-01".into());
        let mut f = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"alternate\" href=\"{}\"/>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>\n",
            xml(&self.site.config.title),
            xml(base_url),
            xml(base_url),
            xml(base_url),
            xml(&self.site.config.title)
        );
        // The newest stories only: a feed is for following, the index is for reading back.
        for s in stories.iter().take(FEED_ENTRIES) {
            let story = s.story;
            let url = format!("{base_url}stories/{}/", story.slug);
            // Every URL absolute: a feed reader shows the entry away from the story's page.
            let html = match (story.words <= FEED_FULL_WORDS, url::Url::parse(&url)) {
                (true, Ok(page)) => absolute_urls(&self.story_html(story).unwrap_or_default(), &page),
                (true, Err(_)) => self.story_html(story).unwrap_or_default(),
                (false, _) => String::new(),
            };
            f.push_str(&format!(
                "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n    <summary>{}</summary>\n    <content type=\"html\">",
                xml(&story.title), xml(&url), xml(&url), s.date(), xml(&story.summary)
            ));
            // Escaped straight into the feed: a long story's HTML is not copied again.
            if xml_len(&html) <= FEED_ENTRY_BYTES {
                push_xml(&mut f, &html);
            }
            f.push_str("</content>\n  </entry>\n");
        }
        f.push_str("</feed>\n");
        f
    }
}

/// The site's own card: its name and what it holds.
fn site_card(site: &Site) -> crate::output::cards::Card {
    let (e, s) = (site.employers.len(), site.stories.len());
    crate::output::cards::Card {
        kicker: String::new(),
        title: site.config.title.clone(),
        lines: vec![format!(
            "{e} {} scored · {s} {}",
            plural(e, "employer", "employers"),
            plural(s, "story", "stories")
        )],
        site: site.config.title.clone(),
        picture: None,
        background: site.config.accents().map(|(light, _)| light),
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn meta(title: &str, description: &str, path: &str) -> PageMeta {
    PageMeta {
        title: title.to_string(),
        description: description.to_string(),
        path: path.to_string(),
        image: None,
        image_alt: None,
    }
}

fn share_row(label: String, d: &crate::scoring::representation::ShareDimension) -> Row<'static> {
    Row {
        label,
        estimate: d.working_class_share,
        judgement: d.judgement,
        note: note_for(d.working_class_share.is_none(), d.judgement),
        break_before: d.break_before,
    }
}

fn note_for(missing: bool, j: Judgement) -> &'static str {
    match (missing, j) {
        (false, _) => "",
        (true, Judgement::NotEnoughData) => "not enough data to show",
        (true, _) => "withheld to protect anonymity; judgement only",
    }
}

/// As [`xml`], appended to `out` in one pass.
fn push_xml(out: &mut String, s: &str) {
    out.reserve(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// The length of `s` escaped by [`push_xml`].
fn xml_len(s: &str) -> usize {
    s.len()
        + s.bytes()
            .map(|b| match b {
                b'&' => 4,
                b'<' | b'>' => 3,
                b'"' => 5,
                _ => 0,
            })
            .sum::<usize>()
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The sitemap protocol allows 50,000 URLs (and 50 MB) per sitemap file.
const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml`, or past `limit` URLs a sitemap index at `sitemap.xml` pointing to
/// `sitemaps/sitemap-1.xml`, `-2.xml` ... of at most `limit` URLs each (the protocol's rule;
/// robots.txt keeps naming `sitemap.xml`, which search engines read either way).
fn sitemaps(base_url: &str, paths: &[String], limit: usize) -> Vec<OutputFile> {
    let urlset = |chunk: &[String]| {
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in chunk {
            x.push_str(&format!("  <url><loc>{}</loc></url>\n", xml(&format!("{base_url}{p}"))));
        }
        x.push_str("</urlset>\n");
        x.into_bytes()
    };
    if paths.len() <= limit {
        return vec![OutputFile { path: "sitemap.xml".into(), bytes: urlset(paths) }];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in paths.chunks(limit).enumerate() {
        let path = format!("sitemaps/sitemap-{}.xml", i + 1);
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml(&format!("{base_url}{path}"))));
        files.push(OutputFile { path, bytes: urlset(chunk) });
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile { path: "sitemap.xml".into(), bytes: index.into_bytes() });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outside round 5 of issue 17, item 13: `<img src="p.jpg" width="300">` was given a second
    /// `width` (invalid HTML; browsers kept the first, so the editor's was ignored).
    #[test]
    fn an_img_the_editor_sized_keeps_its_size_alone() {
        let set = ImageSet {
            variants: vec![crate::output::images::Variant { file: "p-480.jpg".into(), width: 480, height: 320 }],
        };
        let mut images = Images::default();
        images.sets.insert(("s".into(), "p.jpg".into()), set);
        let out =
            responsive_images("<img src=\"p.jpg\" alt=\"A\" width=\"300\"><img src=\"p.jpg\" alt=\"B\">", "s", &images);
        assert_eq!(
            out,
            "<img src=\"p-480.jpg\" srcset=\"p-480.jpg 480w\" sizes=\"(max-width: 48rem) 100vw, 48rem\" alt=\"A\" \
             width=\"300\"><img src=\"p-480.jpg\" srcset=\"p-480.jpg 480w\" sizes=\"(max-width: 48rem) 100vw, 48rem\" \
             width=\"480\" height=\"320\" alt=\"B\">"
        );
    }

    #[test]
    fn the_feed_entry_size_is_known_before_escaping() {
        let html = "<p title=\"a&b\">x > y é</p>";
        let mut out = String::new();
        push_xml(&mut out, html);
        assert_eq!(xml_len(html), out.len());
    }

    fn text(f: &OutputFile) -> String {
        String::from_utf8(f.bytes.clone()).unwrap()
    }

    #[test]
    fn past_fifty_thousand_urls_the_sitemap_becomes_an_index() {
        let paths: Vec<String> = (0..60_000).map(|i| format!("stories/s{i}/")).collect();
        let files = sitemaps("https://example.org/sub/", &paths, SITEMAP_URLS);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml", "sitemap.xml"]);
        let count = |f: &OutputFile| text(f).matches("<url>").count();
        assert_eq!((count(&files[0]), count(&files[1])), (50_000, 10_000));
        let index = text(&files[2]);
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://example.org/sub/sitemaps/sitemap-2.xml</loc>"));
        assert!(text(&files[1]).contains("<loc>https://example.org/sub/stories/s59999/</loc>"));
    }

    #[test]
    fn a_small_site_keeps_one_sitemap() {
        let paths = vec![String::new(), "employers/".to_string()];
        let files = sitemaps("https://example.org/", &paths, SITEMAP_URLS);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "sitemap.xml");
        assert!(text(&files[0]).starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset"));
    }
}
