//! The serialisable views templates see. Built from the model and the scorecards, never from
//! raw counts: by construction a template cannot print a withheld figure.

use crate::model::config::SiteConfig;
use crate::model::employer::Employer;
use crate::model::story::{Page, Story};
use crate::scoring::Scorecard;
use crate::scoring::outcomes::GapDimension;
use crate::scoring::representation::ShareDimension;
use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    /// Path prefix for every link, e.g. `/` or `/ladder/`.
    pub base: String,
    /// Absolute base URL for canonical links and feeds.
    pub base_url: String,
    pub nav: Vec<NavItem>,
    /// The anonymity threshold, so template text never hard-codes it.
    pub threshold: u32,
    /// The site's accent colours (light page, dark page), when `site.yaml` sets them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent_dark: Option<String>,
    /// The logo's path below the site root (`static/logo.svg`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct NavItem {
    pub title: String,
    pub url: String,
}

impl SiteView {
    pub fn new(c: &SiteConfig, pages: &[Page]) -> Self {
        let base = c.base_path();
        let mut nav = vec![
            NavItem { title: "Employers".into(), url: format!("{base}employers/") },
            NavItem { title: "Stories".into(), url: format!("{base}stories/") },
            NavItem { title: "Compare".into(), url: format!("{base}compare/") },
            NavItem { title: "Search".into(), url: format!("{base}search/") },
            NavItem { title: "Methodology".into(), url: format!("{base}methodology/") },
        ];
        nav.extend(pages.iter().map(|p| NavItem { title: p.title.clone(), url: format!("{base}{}/", p.slug) }));
        let (accent, accent_dark) = c.accents().unzip();
        SiteView {
            threshold: c.anonymity_threshold,
            accent,
            accent_dark,
            logo: c.logo_path(),
            title: c.title.clone(),
            description: c.description.clone(),
            language: c.language.clone(),
            base,
            base_url: c.base(),
            nav,
        }
    }
}

/// Per-page metadata.
#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    /// Path relative to the site root, e.g. `employers/x/`.
    pub path: String,
    /// The page's picture for social cards, relative to the site root, and its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_alt: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct EmployerSummary {
    pub slug: String,
    pub name: String,
    pub sector: String,
    pub region: String,
    pub size: String,
    pub size_id: String,
    pub url: String,
    pub sector_url: String,
    pub region_url: String,
    pub size_url: String,
    pub headline: crate::scoring::Headline,
    pub latest_year: Option<i32>,
}

impl EmployerSummary {
    pub fn new(e: &Employer, card: &Scorecard, base: &str) -> Self {
        EmployerSummary {
            slug: e.slug.clone(),
            name: e.name.clone(),
            sector: e.sector.clone(),
            region: e.region.name().to_string(),
            size: e.size.name().to_string(),
            size_id: format!("{:?}", e.size).to_lowercase(),
            url: format!("{base}employers/{}/", e.slug),
            sector_url: format!("{base}sectors/{}/", group_slug(&e.sector)),
            region_url: format!("{base}regions/{}/", group_slug(e.region.name())),
            size_url: format!("{base}sizes/{}/", format!("{:?}", e.size).to_lowercase()),
            headline: card.headline.clone(),
            latest_year: e.latest_year,
        }
    }
}

/// Theme id → chapter title, shared by every story summary.
pub type ThemeTitles = std::collections::HashMap<String, String>;

/// A story as listings show it: borrowed from the model, with its URLs and dates made only
/// when it is serialised. Every story appears on several listings; owned copies of its fields
/// cost about 1 KB a story, which at 50,000 stories was a tenth of the build's memory.
#[derive(Clone, Copy)]
pub struct StorySummary<'a> {
    pub story: &'a Story,
    base: &'a str,
    employer_name: Option<&'a str>,
    themes: &'a ThemeTitles,
}

impl<'a> StorySummary<'a> {
    pub fn new(story: &'a Story, base: &'a str, employer_name: Option<&'a str>, themes: &'a ThemeTitles) -> Self {
        StorySummary { story, base, employer_name, themes }
    }

    pub fn url(&self) -> String {
        format!("{}stories/{}/", self.base, self.story.slug)
    }

    pub fn date(&self) -> String {
        use chrono::Datelike;
        let d = self.story.date;
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }

    /// "5 March 2024" (chrono's `%-d %B %Y`, without parsing a format string per story).
    fn date_human(&self) -> String {
        use chrono::Datelike;
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let d = self.story.date;
        format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
    }

    /// The slug of the employer the story is about, if any.
    /// The name of the employer the story is about, when it names one that exists.
    pub fn employer_name(&self) -> Option<&'a str> {
        self.employer_name
    }

    pub fn employer_slug(&self) -> Option<&'a str> {
        self.story.employer.as_ref().map(|e| e.value.as_str())
    }

    pub fn has_theme(&self, id: &str) -> bool {
        self.story.themes.iter().any(|t| t.value == id)
    }
}

impl Serialize for StorySummary<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(Serialize)]
        struct Link<'x> {
            title: &'x str,
            url: String,
        }
        let s = self.story;
        let employer = s.employer.as_ref().map(|e| Link {
            title: self.employer_name.unwrap_or(&e.value),
            url: format!("{}employers/{}/", self.base, e.value),
        });
        let themes: Vec<Link<'_>> = s
            .themes
            .iter()
            .map(|t| Link {
                title: self.themes.get(&t.value).map_or(t.value.as_str(), String::as_str),
                url: format!("{}themes/{}/", self.base, t.value),
            })
            .collect();
        let mut m = serializer.serialize_struct("StorySummary", 9)?;
        m.serialize_field("slug", &s.slug)?;
        m.serialize_field("title", &s.title)?;
        m.serialize_field("date", &self.date())?;
        m.serialize_field("date_human", &self.date_human())?;
        m.serialize_field("summary", &s.summary)?;
        m.serialize_field("url", &self.url())?;
        m.serialize_field("employer", &employer)?;
        m.serialize_field("themes", &themes)?;
        // About 200 words a minute, never "0 minutes".
        m.serialize_field("reading_minutes", &s.words.div_ceil(200).max(1))?;
        m.end()
    }
}

/// One representation stage on a scorecard: latest period and the history. Borrowed from the
/// scorecard: an employer page never copies its card.
#[derive(Serialize)]
pub struct StageView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub latest: &'a ShareDimension,
    pub history: &'a [ShareDimension],
    pub trend_chart: Option<String>,
}

#[derive(Serialize)]
pub struct OutcomeView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub latest: &'a GapDimension,
    pub history: &'a [GapDimension],
}

#[derive(Serialize)]
pub struct EmployerView<'a> {
    pub summary: &'a EmployerSummary,
    pub website: &'a Option<crate::model::safe_url::SafeUrl>,
    pub logo: &'a Option<crate::model::safe_url::SafeUrl>,
    pub levy_payer: bool,
    pub commitment_html: &'a str,
    pub pledges: Vec<&'static str>,
    pub card: CardView<'a>,
    pub stages: Vec<StageView<'a>>,
    pub outcomes: Vec<OutcomeView<'a>>,
    pub share_chart: String,
    pub gap_chart: Option<String>,
    pub stories: Vec<StorySummary<'a>>,
    pub badge_url: String,
    pub badge_snippet: String,
    pub data_url: String,
}

/// The scorecard as its page shows it: everything but the per-stage and per-measure histories,
/// which the page takes from `stages` and `outcomes` (in display order) instead of twice over.
#[derive(Serialize)]
pub struct CardView<'a> {
    pub headline: &'a crate::scoring::Headline,
    pub rows: &'a [crate::scoring::CategoryRow],
    pub conversion: &'a Option<crate::scoring::representation::Conversion>,
    pub level_pattern: &'a Option<crate::scoring::LevelPattern>,
    pub trends: &'a [crate::scoring::TrendSeries],
    pub extras: &'a [crate::scoring::ExtraResult],
    pub practices: &'a crate::scoring::practices::PracticeSummary,
    pub benchmark_set: &'a str,
}

impl<'a> CardView<'a> {
    pub fn new(card: &'a Scorecard) -> Self {
        CardView {
            headline: &card.headline,
            rows: &card.rows,
            conversion: &card.conversion,
            level_pattern: &card.level_pattern,
            trends: &card.trends,
            extras: &card.extras,
            practices: &card.practices,
            benchmark_set: &card.benchmark_set,
        }
    }
}

/// The slug of a sector or region page; names with no letters or digits go to `other`.
pub fn group_slug(name: &str) -> String {
    let s = crate::slug::slugify(name);
    if s.is_empty() { "other".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn dates_read_as_chrono_formats_them() {
        let themes = ThemeTitles::new();
        let mut day = chrono::NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..400 {
            let text = format!("---\ntitle: T\ndate: {}\n---\nBody\n", day.format("%Y-%m-%d"));
            let story = crate::model::story::parse_story(Path::new("s.md"), Path::new("s.md"), "s", &text).unwrap();
            let s = StorySummary::new(&story, "/", None, &themes);
            assert_eq!(s.date(), day.format("%Y-%m-%d").to_string());
            assert_eq!(s.date_human(), day.format("%-d %B %Y").to_string());
            day += chrono::Duration::days(37);
        }
    }
}
