//! Listing pages: the directory in several orders, sector / region / size pages with their
//! aggregates, the paginated story index, and the data behind search and compare.

use super::views::{EmployerSummary, NavItem, PageMeta, StorySummary, group_slug};
use super::{Emitter, OutputFile, Renderer, Scored, meta};
use crate::error::Diagnostic;
use crate::model::ids::Stage;
use crate::privacy::Count;
use crate::scoring::Judgement;
use crate::scoring::stats::{Estimate, wilson};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// Stories listed on a sector, region or size page.
const GROUP_STORIES: usize = 20;

/// Orders the directory is published in (no order by score: that would be a league table).
use crate::model::DIRECTORY_ORDERS as ORDERS;

/// A group's working-class share for one stage, from published figures only.
#[derive(Serialize)]
pub struct AggregateRow {
    pub stage: String,
    pub title: String,
    /// Employers whose working-class count and base for this stage are shown.
    pub included: usize,
    pub members: usize,
    pub working_class: u64,
    pub classified: u64,
    pub share: Option<Estimate>,
    pub benchmark: f64,
    pub judgement: Judgement,
}

/// A sector, region or size band.
#[derive(Serialize)]
struct Group<'a> {
    kind: &'static str,
    name: String,
    employers: Vec<&'a EmployerSummary>,
    stories: Vec<&'a StorySummary<'a>>,
    aggregates: Vec<AggregateRow>,
}

/// A page of a story listing (the index or a theme), typed so it is not copied into a JSON tree.
#[derive(Serialize)]
pub(super) struct Listing<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapter: Option<&'a crate::model::benchmarks::Chapter>,
    pub stories: &'a [&'a StorySummary<'a>],
    pub pager: &'a Pager<'a>,
}

/// The compare page's data: no list of employers (at 5,000 employers three lists of names made
/// a page of 1.5 MB); the pickers find names through the search index.
#[derive(Serialize)]
struct ComparePage {
    /// The search index's manifest.
    index_url: String,
    /// Where each employer's open data record lies (`<records><slug>.json`): compare fetches the
    /// records of the employers picked, never a file of every employer.
    records: String,
    /// Where each employer's scorecard page lies (`<pages><slug>/`).
    pages: String,
}

/// The directory page's data, typed so it is not copied into a JSON tree first.
#[derive(Serialize)]
struct DirectoryBody<'a> {
    employers: Vec<&'a EmployerSummary>,
    order: &'a str,
    orders: &'a [NavItem],
    sectors: &'a [NavItem],
    regions: &'a [NavItem],
    sizes: &'a [NavItem],
}

fn group_key(e: &EmployerSummary, kind: &str) -> (String, String) {
    let (slug, name) = match kind {
        "sector" => (group_slug(&e.sector), e.sector.clone()),
        "region" => (group_slug(&e.region), e.region.clone()),
        _ => (e.size_id.clone(), e.size.clone()),
    };
    (slug, name)
}

/// A way in to a sector, region or size page, with how many employers it has.
#[derive(serde::Serialize)]
pub(super) struct GroupLink {
    pub title: String,
    pub url: String,
    pub count: usize,
}

/// Every group of `kind` (sector, region, size) with its page and its number of employers.
pub(super) fn group_links(employers: &[EmployerSummary], kind: &str, base: &str) -> Vec<GroupLink> {
    // By slug, as the pages are: names that differ only in case or punctuation are one group.
    let mut counts: std::collections::BTreeMap<String, (String, usize)> = std::collections::BTreeMap::new();
    for e in employers {
        let (slug, name) = group_key(e, kind);
        counts.entry(slug).or_insert((name, 0)).1 += 1;
    }
    counts
        .into_iter()
        .map(|(slug, (title, count))| GroupLink { title, url: format!("{base}{kind}s/{slug}/"), count })
        .collect()
}

/// One (slug, name) per group: names that differ only in case or punctuation share a page.
fn distinct_groups(employers: &[EmployerSummary], kind: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = employers.iter().map(|e| group_key(e, kind)).collect();
    v.sort();
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

impl Renderer<'_> {
    /// `/employers/` by name, and the same table in other orders, with links between them.
    pub(super) fn directory_pages(&self, employers: &[EmployerSummary], out: &Emitter<'_, '_>) {
        let groups = |kind: &str| -> Vec<NavItem> {
            distinct_groups(employers, kind)
                .into_iter()
                .map(|(slug, name)| NavItem { title: name, url: format!("{}{kind}s/{slug}/", self.base()) })
                .collect()
        };
        let (sectors, regions, sizes) = (groups("sector"), groups("region"), groups("size"));
        let orders: Vec<NavItem> =
            ORDERS.iter().map(|(id, label)| NavItem { title: label.to_string(), url: self.order_url(id) }).collect();
        // One at a time: each holds the whole directory, twice over while it is rendered.
        ORDERS.iter().for_each(|(id, label)| {
            let mut sorted: Vec<&EmployerSummary> = employers.iter().collect();
            sorted.sort_by(|a, b| {
                let key = |e: &EmployerSummary| match *id {
                    "sector" => e.sector.clone(),
                    "region" => e.region.clone(),
                    "size" => e.size_id.clone(),
                    _ => String::new(),
                };
                key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
            });
            let path = self.order_url(id).trim_start_matches(self.base()).to_string();
            let body = DirectoryBody {
                employers: sorted,
                order: id,
                orders: &orders,
                sectors: &sectors,
                regions: &regions,
                sizes: &sizes,
            };
            let title = if *id == "name" { "Employers".to_string() } else { format!("Employers by {label}") };
            out.emit(self.page(
                "directory.html",
                &format!("{path}index.html"),
                meta(
                    &title,
                    "Every employer's apprenticeship scorecard, with filters by sector, region and size.",
                    &path,
                ),
                body,
            ))
        });
    }

    fn order_url(&self, id: &str) -> String {
        if id == "name" { format!("{}employers/", self.base()) } else { format!("{}employers/by-{id}/", self.base()) }
    }

    /// One page per sector, region and size band: its employers, stories and aggregates.
    pub(super) fn group_pages(
        &self,
        employers: &[EmployerSummary],
        stories: &[StorySummary<'_>],
        out: &Emitter<'_, '_>,
    ) {
        let groups: Vec<(&'static str, String, String)> = ["sector", "region", "size"]
            .into_iter()
            .flat_map(|kind| distinct_groups(employers, kind).into_iter().map(move |(slug, name)| (kind, slug, name)))
            .collect();
        groups.into_par_iter().for_each(|(kind, slug, name)| {
            let members: Vec<usize> =
                (0..employers.len()).filter(|&i| group_key(&employers[i], kind).0 == slug).collect();
            let scored: Vec<&Scored<'_>> = members.iter().map(|&i| &self.scored[i]).collect();
            let member_slugs: std::collections::HashSet<&str> =
                members.iter().map(|&i| employers[i].slug.as_str()).collect();
            let group = Group {
                kind,
                name: name.clone(),
                employers: members.iter().map(|&i| &employers[i]).collect(),
                // The latest few; the story index and theme pages hold the rest.
                stories: stories
                    .iter()
                    .filter(|s| s.employer_slug().is_some_and(|e| member_slugs.contains(e)))
                    .take(GROUP_STORIES)
                    .collect(),
                aggregates: self.aggregates(&scored),
            };
            let path = format!("{kind}s/{slug}/");
            let description =
                format!("Employers in {name} and how their apprentices compare with the national benchmark.");
            let card = crate::output::cards::Card {
                kicker: match kind {
                    "sector" => "Sector",
                    "region" => "Region",
                    _ => "Employer size",
                }
                .into(),
                title: name.clone(),
                lines: vec![format!(
                    "{} {} scored",
                    members.len(),
                    super::plural(members.len(), "employer", "employers")
                )],
                site: self.site.config.title.clone(),
                picture: None,
                background: self.site.config.accents().map(|(light, _)| light),
            };
            let page_meta = self.with_card(meta(&name, &description, &path), card);
            out.emit(self.page(
                "group.html",
                &format!("{path}index.html"),
                page_meta,
                serde_json::json!({ "group": group }),
            ));
        });
    }

    /// Sum the shown working-class counts and bases of each member's latest period. Only
    /// published numbers go in, so the total reveals nothing a reader could not add up.
    fn aggregates(&self, members: &[&Scored<'_>]) -> Vec<AggregateRow> {
        let t = self.site.config.anonymity_threshold as u64;
        let b = self.site.benchmarks.key_question.working_class.value;
        [Stage::Applicants, Stage::Starts, Stage::Makeup]
            .iter()
            .map(|stage| {
                let mut included = 0;
                let (mut wc, mut n) = (0, 0);
                for s in members {
                    let Some(d) = s.card.representation.get(stage).and_then(|v| v.last()) else { continue };
                    if let (Count::Shown(x), Count::Shown(k), false) =
                        (d.cells.working_class, d.cells.classified, d.provisional)
                    {
                        included += 1;
                        wc += x;
                        n += k;
                    }
                }
                let share = (n >= t).then(|| wilson(wc, n, self.site.benchmarks.method.z));
                AggregateRow {
                    stage: stage.id().to_string(),
                    title: stage.title(),
                    included,
                    members: members.len(),
                    working_class: wc,
                    classified: n,
                    share,
                    benchmark: b,
                    judgement: share
                        .map(|e| {
                            Judgement::of_share(e.lo, e.hi, b, self.site.benchmarks.method.comparable_margin.value)
                        })
                        .unwrap_or(Judgement::NotEnoughData),
                }
            })
            .collect()
    }

    /// `/stories/`, `/stories/page/2/`, ...
    pub(super) fn story_index_pages(&self, stories: &[StorySummary<'_>], out: &Emitter<'_, '_>) {
        let all: Vec<&StorySummary<'_>> = stories.iter().collect();
        let description = "Apprentices who got in and got on, and the employers who made room for them.";
        paginate(&format!("{}stories/", self.base()), &all, self.site.config.stories_per_page)
            .into_par_iter()
            .for_each(|page| {
                let path = page.url.trim_start_matches(self.base()).to_string();
                let title = if page.number == 1 {
                    "Stories".to_string()
                } else {
                    format!("Stories, page {} of {}", page.number, page.count)
                };
                let body = Listing { chapter: None, stories: page.items, pager: &page };
                out.emit(self.page(
                    "stories.html",
                    &format!("{path}index.html"),
                    PageMeta { title, description: description.into(), path, image: None, image_alt: None },
                    body,
                ))
            });
    }

    /// Pages for search and compare; both work from small JSON files and say what to do without JavaScript.
    pub(super) fn tool_pages(&self) -> Vec<Result<OutputFile, Diagnostic>> {
        vec![
            self.page(
                "search.html",
                "search/index.html",
                meta("Search", "Search employers, stories and pages.", "search/"),
                serde_json::json!({ "index_url": format!("{}{}", self.base(), super::search::MANIFEST) }),
            ),
            self.page(
                "compare.html",
                "compare/index.html",
                meta("Compare employers", "Compare two or three employers' scorecards side by side.", "compare/"),
                ComparePage {
                    // The pickers find names through the search index; the scorecards come from
                    // each picked employer's own record, so a reader downloads three records.
                    index_url: format!("{}{}", self.base(), super::search::MANIFEST),
                    records: format!("{}data/employers/", self.base()),
                    pages: format!("{}employers/", self.base()),
                },
            ),
        ]
    }

    /// Adds the employers and the free pages to the search index (stories are added as their
    /// pages are rendered): an employer by its name, sector and region only.
    pub(super) fn search_documents(&self, employers: &[EmployerSummary], search: &super::search::Builder) {
        employers.par_iter().enumerate().for_each(|(i, e)| search.add(i, &[&e.name], &[&e.sector, &e.region], &[]));
        let first_page = employers.len() + self.site.stories.len();
        self.site
            .pages
            .par_iter()
            .enumerate()
            .for_each(|(i, p)| search.add(first_page + i, &[&p.title], &[&p.description], &[&p.html]));
        search.add(first_page + self.site.pages.len(), &["Methodology"], &[METHODOLOGY], &[]);
    }

    /// The search index's files (see [`super::search`]), once every document is in it.
    pub(super) fn write_search(
        &self,
        search: super::search::Builder,
        employers: &[EmployerSummary],
        stories: &[StorySummary<'_>],
        emit: &(dyn Fn(OutputFile) + Sync),
    ) {
        use super::search::Doc;
        let first_page = employers.len() + stories.len();
        let doc = |i: usize| -> Doc<'_> {
            if let Some(e) = employers.get(i) {
                Doc {
                    title: &e.name,
                    url: e.url.clone(),
                    kind: "Employer",
                    summary: Cow::Owned(format!("{} · {} · {}", e.sector, e.region, e.headline.text)),
                }
            } else if let Some(s) = stories.get(i - employers.len()) {
                Doc { title: &s.story.title, url: s.url(), kind: "Story", summary: Cow::Borrowed(&s.story.summary) }
            } else if let Some(p) = self.site.pages.get(i - first_page) {
                Doc {
                    title: &p.title,
                    url: format!("{}{}/", self.base(), p.slug),
                    kind: "Page",
                    summary: Cow::Borrowed(&p.description),
                }
            } else {
                Doc {
                    title: "Methodology",
                    url: format!("{}methodology/", self.base()),
                    kind: "Page",
                    summary: Cow::Borrowed(METHODOLOGY),
                }
            }
        };
        search.write(employers.len(), &doc, emit);
    }
}

/// The methodology page as search shows it.
const METHODOLOGY: &str = "How every number is computed, where benchmarks come from, how apprentices are protected.";

/// One page of a paginated listing.
#[derive(Serialize)]
pub struct Pager<'a> {
    pub number: usize,
    pub count: usize,
    pub url: String,
    pub newer_url: Option<String>,
    pub older_url: Option<String>,
    #[serde(skip)]
    pub items: &'a [&'a StorySummary<'a>],
}

/// Split `items` into pages at `base`, `base/page/2/`, ... (at least one page, even if empty).
pub fn paginate<'a>(base: &str, items: &'a [&'a StorySummary<'a>], per_page: usize) -> Vec<Pager<'a>> {
    let chunks: Vec<&[&StorySummary<'_>]> =
        if items.is_empty() { vec![&[]] } else { items.chunks(per_page.max(1)).collect() };
    let count = chunks.len();
    let url = |n: usize| if n == 1 { base.to_string() } else { format!("{base}page/{n}/") };
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, items)| {
            let n = i + 1;
            Pager {
                number: n,
                count,
                url: url(n),
                newer_url: (n > 1).then(|| url(n - 1)),
                older_url: (n < count).then(|| url(n + 1)),
                items,
            }
        })
        .collect()
}
