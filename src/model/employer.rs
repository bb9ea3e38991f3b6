//! Employers: one YAML file each, with a profile, yearly aggregate counts and practices.

use crate::error::Diagnostic;
use crate::load::yaml;
use crate::model::benchmarks::BenchmarkSet;
use crate::model::ids::{Band, Outcome as OutcomeId, Stage};
use crate::model::safe_url::SafeUrl;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// UK ITL1 regions and nations.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash, schemars::JsonSchema)]
pub enum Region {
    #[serde(rename = "North East")]
    NorthEast,
    #[serde(rename = "North West")]
    NorthWest,
    #[serde(rename = "Yorkshire and The Humber")]
    Yorkshire,
    #[serde(rename = "East Midlands")]
    EastMidlands,
    #[serde(rename = "West Midlands")]
    WestMidlands,
    #[serde(rename = "East of England")]
    EastOfEngland,
    #[serde(rename = "London")]
    London,
    #[serde(rename = "South East")]
    SouthEast,
    #[serde(rename = "South West")]
    SouthWest,
    #[serde(rename = "Wales")]
    Wales,
    #[serde(rename = "Scotland")]
    Scotland,
    #[serde(rename = "Northern Ireland")]
    NorthernIreland,
}

impl Region {
    pub fn name(self) -> &'static str {
        match self {
            Region::NorthEast => "North East",
            Region::NorthWest => "North West",
            Region::Yorkshire => "Yorkshire and The Humber",
            Region::EastMidlands => "East Midlands",
            Region::WestMidlands => "West Midlands",
            Region::EastOfEngland => "East of England",
            Region::London => "London",
            Region::SouthEast => "South East",
            Region::SouthWest => "South West",
            Region::Wales => "Wales",
            Region::Scotland => "Scotland",
            Region::NorthernIreland => "Northern Ireland",
        }
    }
}

// Read by `SizeBand::deserialize` below, so that a mistake is told with the bands in words.
/// Business size as the toolkit defines it: small < 10, medium 10–249, large 250+.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SizeBand {
    Small,
    Medium,
    Large,
}

/// The size bands as a sentence offers them, with what each means.
const SIZE_BANDS_IN_WORDS: &str =
    "write `small` (under 10 staff), `medium` (10 to 249 staff) or `large` (250 or more staff)";

impl SizeBand {
    const NOT_ONE_WORD: &'static str = "`size` must be one word, not a list or a set of `key: value` entries; \
         write `small` (under 10 staff), `medium` (10 to 249 staff) or `large` (250 or more staff)";

    const WORDS: [(&'static str, SizeBand); 3] =
        [("small", SizeBand::Small), ("medium", SizeBand::Medium), ("large", SizeBand::Large)];

    /// The band of an organisation of `staff` people.
    fn of_staff(staff: u64) -> SizeBand {
        match staff {
            0..10 => SizeBand::Small,
            10..250 => SizeBand::Medium,
            _ => SizeBand::Large,
        }
    }

    fn word(self) -> &'static str {
        Self::WORDS.iter().find(|(_, b)| *b == self).map_or("", |(w, _)| w)
    }

    /// What is wrong with `size: {written}`, in words: the bands and what each means, the band
    /// meant where it can be told (`Large`, `Medium (10-249)`, a number of staff).
    fn mistake(written: &str) -> String {
        let w = written.trim();
        if w.is_empty() || matches!(w, "~" | "null") {
            return format!("`size` is empty; {SIZE_BANDS_IN_WORDS} after the colon");
        }
        if let Some((word, _)) = Self::WORDS.iter().find(|(word, _)| *word == w) {
            // A no-break space is trimmed as a space is, but cannot be seen to be there.
            let hidden = crate::suggest::invisible(written);
            if !hidden.is_empty() {
                return format!("`{word}` is written with a character beside it{hidden}; write `{word}` alone");
            }
            return format!("`{written}` has spaces around the word; write `{word}` alone");
        }
        let digits: String = w.chars().filter(|c| !matches!(c, ',' | ' ' | '_')).collect();
        if let Ok(staff) = digits.parse::<u64>() {
            return format!(
                "`{w}` is a number of staff, but `size` takes its band: write `{}` (`small` is under 10 staff, \
                 `medium` 10 to 249 and `large` 250 or more)",
                Self::of_staff(staff).word()
            );
        }
        let lower = w.to_lowercase();
        let first_word = lower.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
        let near = Self::WORDS
            .iter()
            .find(|(word, _)| *word == first_word)
            .map(|(word, _)| *word)
            .or_else(|| crate::suggest::closest_name(&lower, Self::WORDS.iter().map(|(word, _)| *word)));
        let invisible = crate::suggest::invisible(w);
        match near {
            Some(n) => format!("`{w}` is not a size band; did you mean `{n}`?{invisible} ({SIZE_BANDS_IN_WORDS})"),
            None => format!("`{w}` is not a size band{invisible}; {SIZE_BANDS_IN_WORDS}"),
        }
    }
}

impl<'de> Deserialize<'de> for SizeBand {
    /// Read as an enum is (a YAML tag such as `!foo medium` is refused, as for any choice of
    /// words), each mistake told by [`SizeBand::mistake`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{EnumAccess, Error, VariantAccess, Visitor};
        const NAMES: &[&str] = &["small", "medium", "large"];
        struct Band;
        impl<'de> Visitor<'de> for Band {
            type Value = SizeBand;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a size band: small, medium or large")
            }
            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<SizeBand, A::Error> {
                let (written, rest): (String, _) = data.variant()?;
                // `{medium: 1}`: one word is the whole value.
                rest.unit_variant().map_err(|_| A::Error::custom(SizeBand::NOT_ONE_WORD))?;
                match SizeBand::WORDS.iter().find(|(w, _)| *w == written) {
                    Some((_, band)) => Ok(*band),
                    None => Err(A::Error::custom(SizeBand::mistake(&written))),
                }
            }
        }
        d.deserialize_enum("SizeBand", NAMES, Band)
    }
}

impl SizeBand {
    pub fn name(self) -> &'static str {
        match self {
            SizeBand::Small => "Small (under 10 staff)",
            SizeBand::Medium => "Medium (10 to 249 staff)",
            SizeBand::Large => "Large (250 or more staff)",
        }
    }
}

/// Public pledges and commitments, each a yes/no.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Pledges {
    /// Has signed the Social Mobility Pledge.
    pub social_mobility_pledge: bool,
    /// Entered the Social Mobility Employer Index.
    pub employer_index_entrant: bool,
    /// Transfers unspent apprenticeship levy to smaller employers.
    pub levy_transfer: bool,
    /// Pays apprentices at least the voluntary Real Living Wage.
    pub voluntary_living_wage: bool,
    /// Protects apprentices' off-the-job training time.
    pub protects_off_the_job_time: bool,
}

/// Answers to the key question at one stage: anonymous counts, never individuals.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// How many people the question was put to.
    pub asked: u32,
    /// How many answered with a professional or managerial background (modern or traditional
    /// professional, senior, middle or junior manager).
    pub professional: u32,
    /// How many answered with an intermediate background (clerical and intermediate, small
    /// business owner).
    pub intermediate: u32,
    /// How many answered with a working-class background (technical and craft, routine and
    /// semi-routine, long-term unemployed).
    pub working_class: u32,
    /// Retired, does not apply, don't know.
    #[serde(default)]
    pub other: u32,
    /// How many answered "I prefer not to say".
    #[serde(default)]
    pub prefer_not_to_say: u32,
}

impl Answers {
    pub fn classified(&self) -> u64 {
        self.professional as u64 + self.intermediate as u64 + self.working_class as u64
    }
    pub fn answered(&self) -> u64 {
        self.classified() + self.other as u64 + self.prefer_not_to_say as u64
    }
}

/// One group's outcome: how many were due, how many achieved it.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// How many in the group were due to reach the outcome (for progression: the completers).
    pub due: u32,
    /// How many of them reached it.
    pub achieved: u32,
}

/// An outcome per group for one measure (functional skills, completion, progression).
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeTable {
    /// The professional group's outcome.
    pub professional: Outcome,
    /// The intermediate group's outcome.
    pub intermediate: Outcome,
    /// The working-class group's outcome.
    pub working_class: Outcome,
}

/// Answers to a yes/no extra question.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YesNo {
    /// How many people the question was put to.
    pub asked: u32,
    /// How many answered yes.
    pub yes: u32,
    /// How many answered no.
    pub no: u32,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyQuestionFigures {
    /// Everyone who applied in the year.
    #[serde(default)]
    #[schemars(with = "Option<Answers>")]
    pub applicants: Option<Spanned<Answers>>,
    /// Everyone who started an apprenticeship in the year.
    #[serde(default)]
    #[schemars(with = "Option<Answers>")]
    pub starts: Option<Spanned<Answers>>,
    /// The current cohort ("overall make-up").
    #[serde(default)]
    #[schemars(with = "Option<Answers>")]
    pub cohort: Option<Spanned<Answers>>,
    /// Per apprenticeship level band: "2", "3", "4-5", "6-7".
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Answers>")]
    pub levels: BTreeMap<String, Spanned<Answers>>,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeFigures {
    /// Functional skills (English and maths) achieved, per group.
    #[serde(default)]
    #[schemars(with = "Option<OutcomeTable>")]
    pub functional_skills: Option<Spanned<OutcomeTable>>,
    /// Apprenticeships completed, per group: `due` is those due to finish in the year.
    #[serde(default)]
    #[schemars(with = "Option<OutcomeTable>")]
    pub completion: Option<Spanned<OutcomeTable>>,
    /// Progression after completing (a job, promotion or further learning), per group: `due` is
    /// the completers.
    #[serde(default)]
    #[schemars(with = "Option<OutcomeTable>")]
    pub progression: Option<Spanned<OutcomeTable>>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PracticeStatus {
    /// Done across the organisation.
    InPlace,
    /// Started or done in part.
    Partial,
    /// Not started yet.
    NotStarted,
    /// Does not apply to this employer (only where the toolkit says "where possible").
    NotApplicable,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeEntry {
    /// How far the practice is in place: in_place, partial, not_started or not_applicable.
    pub status: PracticeStatus,
    /// One sentence on what is done.
    #[serde(default)]
    pub note: Option<String>,
    /// A public link that shows it. Checked as a [`SafeUrl`] while it is read, and kept as text
    /// because the scorecard (which owns its own types) copies it.
    #[serde(default, deserialize_with = "crate::model::safe_url::checked_text")]
    #[schemars(with = "Option<SafeUrl>")]
    pub evidence: Option<String>,
}

/// One reporting year.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    /// The reporting year, e.g. 2024.
    #[schemars(with = "i32")]
    pub year: Spanned<i32>,
    /// Benchmark set (and so question wording) the figures were collected against, when it is
    /// not the site's current one; a change marks a break in series.
    #[serde(default)]
    pub benchmark_set: Option<String>,
    /// Answers to the key question about socio-economic background, by stage.
    #[serde(default)]
    pub key_question: KeyQuestionFigures,
    /// Outcomes by socio-economic group.
    #[serde(default)]
    pub outcomes: OutcomeFigures,
    /// Answers to the benchmark set's optional extra questions, by question id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, YesNo>")]
    pub extra_questions: BTreeMap<String, Spanned<YesNo>>,
    /// The toolkit's practices and how far each is in place, by practice id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, PracticeEntry>")]
    pub practices: BTreeMap<String, Spanned<PracticeEntry>>,
}

/// An employer file as written.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerFile {
    /// The employer's name as it should appear on the site.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The employer's sector: one of the site's sectors (the benchmark set's list, or `sectors:` in
    /// site.yaml).
    #[schemars(with = "String")]
    pub sector: Spanned<String>,
    /// Where the apprenticeships are: a UK region or nation.
    pub region: Region,
    /// Business size: small (under 10 staff), medium (10 to 249) or large (250 or more).
    pub size: SizeBand,
    /// Whether the employer pays the apprenticeship levy.
    #[serde(default)]
    pub levy_payer: bool,
    /// The employer's website (https://...).
    #[serde(default)]
    pub website: Option<SafeUrl>,
    /// A logo image: an https:// address or a path on this site.
    #[serde(default)]
    pub logo: Option<SafeUrl>,
    /// A short statement of the employer's commitment (Markdown).
    #[serde(default)]
    pub commitment: String,
    /// Public pledges and commitments, each true or false.
    #[serde(default)]
    pub pledges: Pledges,
    /// Figures and practices, one entry per reporting year.
    #[schemars(with = "Vec<YearFile>")]
    pub years: Spanned<Vec<YearFile>>,
}

/// One year's raw counts after validation. Only `privacy::publish` reads them: it takes an
/// employer's [`Figures`] by value, so nothing after it can reach a raw count.
#[derive(Debug, Clone, Default)]
pub struct Year {
    pub year: i32,
    pub stages: BTreeMap<Stage, Answers>,
    pub outcomes: BTreeMap<OutcomeId, OutcomeTable>,
    pub extra: BTreeMap<String, YesNo>,
}

/// An employer's raw counts, every reporting year, oldest first: what privacy consumes.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub years: Vec<Year>,
}

/// What a reporting year holds, without its counts: the benchmark set it was collected
/// against (a change is a break in series) and which stages and outcomes it reported.
#[derive(Debug, Clone, Default)]
pub struct Reported {
    pub year: i32,
    pub benchmark_set: String,
    pub stages: BTreeSet<Stage>,
    pub outcomes: BTreeSet<OutcomeId>,
}

/// A validated employer: its profile, what each year reported, and the latest year's
/// practices. Its counts are not here but in the [`Figures`] [`parse`] returns beside it.
#[derive(Debug, Clone)]
pub struct Employer {
    pub slug: String,
    pub source_path: String,
    pub name: String,
    pub sector: String,
    pub region: Region,
    pub size: SizeBand,
    pub levy_payer: bool,
    pub website: Option<SafeUrl>,
    pub logo: Option<SafeUrl>,
    pub commitment_html: String,
    /// The commitment's links to the site itself.
    pub commitment_links: super::links::FileLinks,
    /// The link fields (`website`, `logo`, a practice's `evidence`) that are paths on the site.
    pub field_links: super::links::FileLinks,
    pub pledges: Pledges,
    /// The latest reporting year.
    pub latest_year: Option<i32>,
    /// Oldest year first, as [`Figures::years`].
    pub reported: Vec<Reported>,
    /// Practices as reported in the latest year: that is what the scorecard reports (earlier
    /// years' entries are checked but not kept).
    pub practices: BTreeMap<String, PracticeEntry>,
}

/// Line and column (1-based) of the last place `value` is written in `text` (a link field's
/// value, most likely the latest year's).
fn place_of(text: &str, value: &str) -> (u64, u64) {
    let Some(at) = text.rfind(value) else { return (1, 1) };
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (text[..at].matches('\n').count() as u64 + 1, text[line_start..at].chars().count() as u64 + 1)
}

/// A sector not in the site's list: the nearest one, or the list when none is near (a new
/// sector is added to the list, so a typo never makes a sector page of its own).
fn unknown_sector(sector: &str, sectors: &[String]) -> String {
    let hint = crate::suggest::closest(sector, sectors.iter().map(String::as_str));
    let how = "to add a sector, list the site's sectors under `sectors:` in site.yaml";
    if hint.is_empty() {
        let list: Vec<String> = sectors.iter().map(|s| format!("`{s}`")).collect();
        format!("`{sector}` is not one of the site's sectors, which are {}; {how}", list.join(", "))
    } else {
        format!("`{sector}` is not one of the site's sectors{hint} ({how})")
    }
}

/// Parse and validate one employer file. `current_year` bounds reporting years.
pub fn parse(
    file: &Path,
    slug: &str,
    text: &str,
    benchmarks: &BenchmarkSet,
    current_year: i32,
) -> Result<(Employer, Figures), Vec<Diagnostic>> {
    let site = crate::load::markdown::SiteLinks { source_page: super::links::source_page, ..Default::default() };
    parse_for_site(file, slug, text, benchmarks, current_year, &site)
}

/// The commitment's links to the site of an employer file that has problems, read as far as its
/// YAML allows, so that they are checked in the same run as its other problems (a picture without
/// words or a mistyped status must not hide a link to nothing). `None` where it cannot be read.
pub fn partial_links(
    file: &Path,
    text: &str,
    site: &crate::load::markdown::SiteLinks,
) -> Option<super::links::FileLinks> {
    let parsed = yaml::parse_all::<EmployerFile>(file, text, 0);
    let raw = parsed.value?;
    let slug = file.file_stem()?.to_string_lossy();
    let links = crate::load::markdown::site_links(&raw.commitment, &site.on_page(&format!("employers/{slug}/")));
    let mut links = super::links::commitment_links(file, text, links);
    // The link fields too (issue 17, round 7: a dead `website: /about-us/` was hidden while the
    // file had another problem): the latest year's evidence, as a clean file's.
    let latest = raw.years.value.iter().max_by_key(|y| y.year.value);
    let mut fields = Vec::new();
    field_link(text, site, "website", raw.website.as_ref().map(SafeUrl::as_str), 0, &mut fields);
    field_link(text, site, "logo", raw.logo.as_ref().map(SafeUrl::as_str), 0, &mut fields);
    // Read from the year's lines rather than its value: an entry left out to read on (a status
    // typo) took its evidence with it (issue 17, round 8).
    if let Some(year) = latest {
        let from = year.year.referenced.line();
        let to = raw.years.value.iter().map(|y| y.year.referenced.line()).filter(|&l| l > from).min();
        for (i, line) in
            text.lines().enumerate().skip(from as usize).take(to.map_or(usize::MAX, |t| (t - from) as usize))
        {
            for (at, _) in line.match_indices("evidence:") {
                let value = line[at + "evidence:".len()..].trim_start();
                let value = value.split([',', '}', '#']).next().unwrap_or_default().trim().trim_matches(['"', '\'']);
                field_link(text, site, "evidence", Some(value), i as u64 + 1, &mut fields);
            }
        }
    }
    links.links.extend(fields);
    Some(links)
}

/// A link setting (`website`, `logo`, `evidence`) whose value is a path on the site: its href,
/// below the base path, and its use noted in `uses`, placed at the setting's own line, the
/// first `key:` holding the value at or after line `from` (a practice's evidence is after its
/// practice's line). `None` for a value that is no path on the site.
fn field_link(
    text: &str,
    site: &crate::load::markdown::SiteLinks,
    key: &str,
    value: Option<&str>,
    from: u64,
    uses: &mut Vec<crate::load::markdown::LinkUse>,
) -> Option<String> {
    let value = value?;
    let (href, mut used) = crate::load::markdown::site_link(value, site).filter(|_| value.starts_with('/'))?;
    (used.line, used.column) = setting_place(text, key, value, from);
    uses.push(used);
    Some(href)
}

/// Where the value of `key: value` is written, at or after 1-based line `from`: the setting's
/// own line, not the first place the same text appears (issue 17, round 7: a `website` was
/// told at a comment above it that named the same address).
fn setting_place(text: &str, key: &str, value: &str, from: u64) -> (u64, u64) {
    let start = usize::try_from(from.saturating_sub(1)).unwrap_or(0);
    for (i, line) in text.lines().enumerate().skip(start) {
        // `key:` as a setting of its own line, or inside `{status: ..., evidence: ...}`.
        for (k, _) in line.match_indices(key) {
            let starts_a_key = line[..k].trim_end_matches(' ').is_empty()
                || line[..k].ends_with([' ', '{', ',', '-'])
                || line[..k].trim_end().ends_with(['{', ',']);
            let after = line[k + key.len()..].trim_start();
            if let (true, Some(rest)) = (starts_a_key, after.strip_prefix(':'))
                && let Some(at) = rest.find(value)
            {
                let column = line.len() - rest.len() + at;
                return (i as u64 + 1, line[..column].chars().count() as u64 + 1);
            }
        }
    }
    place_of(text, value)
}

/// As [`parse`], the commitment's links to the site written below the site's base path.
pub fn parse_for_site(
    file: &Path,
    slug: &str,
    text: &str,
    benchmarks: &BenchmarkSet,
    current_year: i32,
    site: &crate::load::markdown::SiteLinks,
) -> Result<(Employer, Figures), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    if !crate::slug::is_valid(slug) {
        problems.push(
            Diagnostic::new(file, format!("`{slug}` is not a valid slug: use lower-case letters, digits and hyphens"))
                .field("file name"),
        );
    }
    // Every problem of the file at once: what could not be read is reported, and the rest is
    // still checked, except for what the entries left out would decide.
    let parsed = yaml::parse_all::<EmployerFile>(file, text, 0);
    // Every practice id is checked where it is written, whether its entry could be read or not
    // (`culture.coldspot:` with nothing after it is still a mistyped id).
    // (A file the typed read took whole has every id in its value, checked there.)
    let written = if parsed.problems.is_empty() { None } else { written_practices(text) };
    let mut own = parsed.problems.clone();
    // `size: [medium]` is refused before the size is read, in words that cannot name the bands.
    for d in
        own.iter_mut().filter(|d| d.field.as_deref() == Some("size") && d.message.contains("must be a single word"))
    {
        d.message = SizeBand::NOT_ONE_WORD.to_string();
    }
    if let Some(years) = &written {
        check_written_practices(file, years, benchmarks, &mut own);
    }
    problems.extend(own);
    let Some(raw) = &parsed.value else { return Err(problems) };
    let mut checks = Vec::new();
    let left_out = |path: &str| parsed.left_out(path);
    let mut check = Checker {
        file,
        problems: &mut checks,
        levy_payer_known: !parsed.left_out("levy_payer"),
        ids_checked: written.is_some(),
        left_out: &left_out,
        years: raw.years.value.iter().map(|y| Some(i64::from(y.year.value))).collect(),
    };
    if raw.name.value.trim().is_empty() {
        check.fail(Some(&raw.name.referenced), "name", "the name is empty".into());
    }
    let sector = crate::slug::nfc(raw.sector.value.trim()).into_owned();
    let sector = sector.as_str();
    if sector.is_empty() {
        check.fail(Some(&raw.sector.referenced), "sector", "the sector is empty".into());
    } else if !benchmarks.sectors.is_empty() && !benchmarks.sectors.iter().any(|s| s == sector) {
        // An empty list (`sectors: []`) is site.yaml's problem, told there once.
        check.fail(Some(&raw.sector.referenced), "sector", unknown_sector(sector, &benchmarks.sectors));
    }
    if raw.years.value.is_empty() {
        check.fail(Some(&raw.years.referenced), "years", "at least one reporting year is needed".into());
    }
    let mut seen = BTreeSet::new();
    let mut years = Vec::new();
    for (i, y) in raw.years.value.iter().enumerate() {
        years.push(validate_year(&mut check, i, y, raw, benchmarks, current_year, &mut seen));
    }
    years.sort_by_key(|(r, _, _): &(Reported, Year, _)| r.year);
    // A picture in the commitment needs words for people who cannot see it, as in a story.
    let offsets = super::links::commitment_offsets(text);
    let images: Vec<crate::load::markdown::ImageUse> = crate::load::markdown::images(&raw.commitment)
        .into_iter()
        .map(|i| {
            let (line, column) = super::links::place_in_commitment(text, offsets, i.line, i.column);
            crate::load::markdown::ImageUse { line, column, ..i }
        })
        .collect();
    checks.extend(super::story::missing_alt(file, &images).into_iter().map(|d| d.field("commitment")));
    checks.extend(super::story::not_pictures(file, &images).into_iter().map(|d| d.field("commitment")));
    for (line, column, told) in crate::load::markdown::embeds(&raw.commitment) {
        let (line, column) = super::links::place_in_commitment(text, offsets, line, column);
        checks.push(Diagnostic::new(file, told).field("commitment").at(line, column));
    }
    // Nothing beside an employer file is published: a picture named from its folder would be
    // broken on the site, as in a page.
    for img in images.iter().filter(|i| i.is_image && super::story::is_relative_file(&i.src)) {
        let name = img.src.rsplit('/').next().unwrap_or(&img.src);
        checks.push(
            Diagnostic::new(
                file,
                format!(
                    "`{}` names a file beside the employer file, and nothing beside it is published; put the picture \
                     in the site's static/ folder and write `/static/{name}`",
                    img.src
                ),
            )
            .field("commitment")
            .at(img.line, img.column),
        );
    }
    checks.retain(|d| !d.field.as_deref().is_some_and(|f| parsed.left_out(f)));
    problems.extend(checks);
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(raw) = parsed.value else { return Err(problems) };
    let reported = years.iter().map(|(r, _, _)| r.clone()).collect();
    // The commitment is shown on the employer's page: its relative links lead from there.
    let commitment = crate::load::markdown::render_with(&raw.commitment, &site.on_page(&format!("employers/{slug}/")));
    // Practices are scored as reported in the latest year; earlier years' entries are checked
    // above but not kept (they are most of an employer's memory on a large site).
    let mut practices = years.last().map(|(_, _, p)| p.clone()).unwrap_or_default();
    // Link fields that are paths on the site (`evidence: /static/policy.pdf`) are given the base
    // URL's path, as Markdown links are, and checked with them against the files a build writes.
    // Where each kept practice is written, so that its evidence is told at its own line.
    let latest_year = years.last().map(|(r, _, _)| r.year);
    let lines_of_practices: BTreeMap<&str, u64> = raw
        .years
        .value
        .iter()
        .filter(|y| Some(y.year.value) == latest_year)
        .flat_map(|y| y.practices.iter().map(|(id, p)| (id.as_str(), p.referenced.line())))
        .collect();
    let mut field_links = Vec::new();
    let mut on_site =
        |key: &str, value: &str, from: u64| field_link(text, site, key, Some(value), from, &mut field_links);
    let website = raw.website.map(|w| on_site("website", &w, 0).and_then(|h| SafeUrl::parse(&h).ok()).unwrap_or(w));
    let logo = raw.logo.map(|w| on_site("logo", &w, 0).and_then(|h| SafeUrl::parse(&h).ok()).unwrap_or(w));
    for (id, p) in practices.iter_mut() {
        let from = lines_of_practices.get(id.as_str()).copied().unwrap_or(0);
        if let Some(href) = p.evidence.as_deref().and_then(|e| on_site("evidence", e, from)) {
            p.evidence = Some(href);
        }
    }
    let figures = Figures { years: years.into_iter().map(|(_, counts, _)| counts).collect() };
    let employer = Employer {
        slug: slug.to_string(),
        source_path: file.display().to_string(),
        name: raw.name.value.trim().to_string(),
        sector: crate::slug::nfc(raw.sector.value.trim()).into_owned(),
        region: raw.region,
        size: raw.size,
        levy_payer: raw.levy_payer,
        website,
        logo,
        commitment_html: commitment.html,
        commitment_links: super::links::commitment_links(file, text, commitment.links),
        field_links: super::links::FileLinks { file: file.to_path_buf(), links: field_links, ..Default::default() },
        pledges: raw.pledges,
        latest_year: figures.years.last().map(|y| y.year),
        reported,
        practices,
    };
    Ok((employer, figures))
}

struct Checker<'a> {
    file: &'a Path,
    problems: &'a mut Vec<Diagnostic>,
    /// False when `levy_payer` could not be read: its default must not decide a check.
    levy_payer_known: bool,
    /// Whether every practice id was checked where it is written ([`check_written_practices`]).
    ids_checked: bool,
    /// Whether a value's path was left out of the read (see [`yaml::Parsed::left_out`]).
    left_out: &'a dyn Fn(&str) -> bool,
    /// Each reporting year as written, by its place in `years`, to name fields in words.
    years: Vec<Option<i64>>,
}

/// A practice's key as written: the id, where it is, and whether its entry is empty.
struct WrittenPractice {
    id: Spanned<String>,
    empty: bool,
}

/// The practice ids of one year as written, in order.
struct WrittenYear {
    year: Option<i64>,
    practices: Vec<WrittenPractice>,
}

/// The practice ids of every year, read apart from the typed read (which leaves out an entry it
/// cannot read, its id with it): `None` where the file cannot be read so far (a YAML syntax
/// mistake, `years` not a list), and the typed read's checks stand.
fn written_practices(text: &str) -> Option<Vec<WrittenYear>> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    /// Any value: a whole number, nothing, or something else (read past).
    enum Any {
        Number(i64),
        Empty,
        Other,
    }
    impl<'de> Deserialize<'de> for Any {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Any;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("any value")
                }
                fn visit_i64<E>(self, v: i64) -> Result<Any, E> {
                    Ok(Any::Number(v))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Any, E> {
                    Ok(i64::try_from(v).map_or(Any::Other, Any::Number))
                }
                fn visit_f64<E>(self, _: f64) -> Result<Any, E> {
                    Ok(Any::Other)
                }
                fn visit_bool<E>(self, _: bool) -> Result<Any, E> {
                    Ok(Any::Other)
                }
                fn visit_str<E>(self, v: &str) -> Result<Any, E> {
                    Ok(if v.trim().is_empty() { Any::Empty } else { Any::Other })
                }
                fn visit_unit<E>(self) -> Result<Any, E> {
                    Ok(Any::Empty)
                }
                fn visit_none<E>(self) -> Result<Any, E> {
                    Ok(Any::Empty)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Any, D::Error> {
                    Any::deserialize(d)
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Any, A::Error> {
                    while s.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Any::Other)
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Any, A::Error> {
                    while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    Ok(Any::Other)
                }
            }
            d.deserialize_any(V)
        }
    }
    struct Practices(Vec<WrittenPractice>);
    impl<'de> Deserialize<'de> for Practices {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Practices;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("practices by id")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Practices, A::Error> {
                    let mut out = Vec::new();
                    while let Some(id) = m.next_key::<Spanned<String>>()? {
                        let empty = matches!(m.next_value::<Any>()?, Any::Empty);
                        out.push(WrittenPractice { id, empty });
                    }
                    Ok(Practices(out))
                }
                fn visit_unit<E>(self) -> Result<Practices, E> {
                    Ok(Practices(Vec::new()))
                }
                fn visit_none<E>(self) -> Result<Practices, E> {
                    Ok(Practices(Vec::new()))
                }
            }
            d.deserialize_any(V)
        }
    }
    #[derive(Deserialize)]
    struct Year {
        #[serde(default)]
        year: Option<Any>,
        #[serde(default)]
        practices: Option<Practices>,
    }
    #[derive(Deserialize)]
    struct File {
        #[serde(default)]
        years: Option<Vec<Year>>,
    }
    // A key written twice is the typed read's to tell; here the first is read.
    let mut options = yaml::options();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::FirstWins;
    let file: File = serde_saphyr::from_str_with_options(text, options).ok()?;
    Some(
        file.years
            .unwrap_or_default()
            .into_iter()
            .map(|y| WrittenYear {
                year: match y.year {
                    Some(Any::Number(n)) => Some(n),
                    _ => None,
                },
                practices: y.practices.map(|p| p.0).unwrap_or_default(),
            })
            .collect(),
    )
}

/// Every practice id written, checked at its key: an id the benchmark set does not have is told
/// with the nearest that it has, whatever its entry holds (an entry left empty included), in
/// place of what the typed read said of that entry; a known id with an empty entry is told what
/// to write.
fn check_written_practices(
    file: &Path,
    years: &[WrittenYear],
    benchmarks: &BenchmarkSet,
    problems: &mut Vec<Diagnostic>,
) {
    let ids: Vec<String> = benchmarks
        .chapters
        .iter()
        .flat_map(|c| c.practices.iter().map(move |p| format!("{}.{}", c.id, p.id)))
        .collect();
    for (i, y) in years.iter().enumerate() {
        for p in &y.practices {
            let id = p.id.value.as_str();
            let line = p.id.referenced.line();
            // What the typed read said of this entry, on its key's line.
            let about_entry = |d: &Diagnostic| {
                d.line == Some(line) && (d.field.as_deref() == Some(id) || d.message.contains(&format!("`{id}`")))
            };
            let message = if benchmarks.practice(id).is_none() {
                let hint = crate::suggest::closest(id, ids.iter().map(String::as_str));
                format!(
                    "`{id}` is not a practice of benchmark set `{}`{hint} (ids look like `data.ask_right_question`)",
                    benchmarks.id
                )
            } else if p.empty {
                format!(
                    "`{id}` is empty; write its status after the colon, such as `{{status: not_started}}` (`in_place`, \
                     `partial`, `not_started` or `not_applicable`)"
                )
            } else {
                continue;
            };
            problems.retain(|d| !about_entry(d));
            let years: Vec<Option<i64>> = years.iter().map(|y| y.year).collect();
            problems.push(
                Diagnostic::new(file, message)
                    .field(field_words(&format!("years[{i}].practices.{id}"), &years))
                    .at_location(&p.id.referenced, 0),
            );
        }
    }
}

/// Where in an employer file a problem is, as an editor reads it: `years[0].key_question.cohort`
/// is "`key_question.cohort` of year 2024" (the year as written, or "years, entry 1" where it
/// cannot be read), `years[0].practices.data.x` is "practice `data.x` of year 2024". Paths not
/// under `years` are left as they are (`sector`).
pub fn field_words(path: &str, years: &[Option<i64>]) -> String {
    let Some((index, tail)) = path.strip_prefix("years[").and_then(|rest| rest.split_once(']')) else {
        return path.to_string();
    };
    let Ok(i) = index.parse::<usize>() else { return path.to_string() };
    let of = match years.get(i).copied().flatten() {
        Some(year) => format!("year {year}"),
        None => format!("years, entry {}", i + 1),
    };
    match tail.strip_prefix('.').unwrap_or(tail) {
        "" => of,
        // "error in `year`: reporting year 2031 is in the future" names the year already.
        "year" => "year".to_string(),
        tail => match tail.strip_prefix("practices.") {
            Some(id) => format!("practice `{id}` of {of}"),
            None => format!("`{tail}` of {of}"),
        },
    }
}

impl Checker<'_> {
    /// A problem of the value at `path` (`years[0].key_question.cohort`), told at `loc` with the
    /// path in words; none where the value was left out of the read (its default stands in).
    fn fail(&mut self, loc: Option<&serde_saphyr::Location>, path: &str, message: String) {
        if (self.left_out)(path) {
            return;
        }
        let mut d = Diagnostic::new(self.file, message).field(field_words(path, &self.years));
        if let Some(l) = loc {
            d = d.at_location(l, 0);
        }
        self.problems.push(d);
    }
}

fn validate_year(
    check: &mut Checker<'_>,
    i: usize,
    y: &YearFile,
    raw: &EmployerFile,
    benchmarks: &BenchmarkSet,
    current_year: i32,
    seen: &mut BTreeSet<i32>,
) -> (Reported, Year, BTreeMap<String, PracticeEntry>) {
    let at = format!("years[{i}]");
    let year = y.year.value;
    if year > current_year {
        check.fail(Some(&y.year.referenced), &format!("{at}.year"), format!("reporting year {year} is in the future"));
    } else if year < 1990 {
        check.fail(Some(&y.year.referenced), &format!("{at}.year"), format!("reporting year {year} is implausible"));
    }
    if !seen.insert(year) {
        check.fail(Some(&y.year.referenced), &format!("{at}.year"), format!("reporting year {year} appears twice"));
    }
    let benchmark_set = y.benchmark_set.clone().unwrap_or_else(|| benchmarks.id.clone());
    // A mistyped set id used to become a silent break in series; only known sets are accepted.
    let known: Vec<&str> =
        std::iter::once(benchmarks.id.as_str()).chain(benchmarks.earlier_sets.iter().map(String::as_str)).collect();
    if !known.contains(&benchmark_set.as_str()) {
        check.fail(
            None,
            &format!("{at}.benchmark_set"),
            format!(
                "unknown benchmark set `{benchmark_set}`{}; known sets: {} (list earlier sets under `earlier_sets` in the benchmark file)",
                crate::suggest::closest(&benchmark_set, known.iter().copied()),
                known.join(", ")
            ),
        );
    }
    let mut out = Year { year, ..Year::default() };
    let mut practices = BTreeMap::new();
    let kq = &y.key_question;
    let stage = |id: Stage, field: String, a: &Spanned<Answers>, out: &mut Year, check: &mut Checker<'_>| {
        check_answers(check, &field, a);
        out.stages.insert(id, a.value);
    };
    if let Some(a) = &kq.applicants {
        stage(Stage::Applicants, format!("{at}.key_question.applicants"), a, &mut out, check);
    }
    if let Some(a) = &kq.starts {
        stage(Stage::Starts, format!("{at}.key_question.starts"), a, &mut out, check);
    }
    if let Some(a) = &kq.cohort {
        stage(Stage::Makeup, format!("{at}.key_question.cohort"), a, &mut out, check);
    }
    for (band, a) in &kq.levels {
        let field = format!("{at}.key_question.levels.{band}");
        let known = benchmarks.level_bands.iter().any(|b| b == band);
        let Some(typed) = Band::from_key(band).filter(|_| known) else {
            check.fail(
                Some(&a.referenced),
                &field,
                format!("unknown level band `{band}`; use one of {}", benchmarks.level_bands.join(", ")),
            );
            continue;
        };
        stage(Stage::Level(typed), field, a, &mut out, check);
    }
    let o = &y.outcomes;
    for (id, t) in [
        (OutcomeId::FunctionalSkills, &o.functional_skills),
        (OutcomeId::Completion, &o.completion),
        (OutcomeId::Progression, &o.progression),
    ] {
        if let Some(t) = t {
            check_outcomes(check, &format!("{at}.outcomes.{}", id.id()), t);
            out.outcomes.insert(id, t.value);
        }
    }
    check_chain(check, &at, y);
    for (id, yn) in &y.extra_questions {
        let field = format!("{at}.extra_questions.{id}");
        if id == DEPRECATED_FIRST_GENERATION {
            read_first_generation(check.file, &field_words(&field, &check.years), yn, &mut out);
            continue;
        }
        if !benchmarks.extra_questions.iter().any(|q| &q.id == id) {
            let known: Vec<&str> = benchmarks.extra_questions.iter().map(|q| q.id.as_str()).collect();
            check.fail(
                Some(&yn.referenced),
                &field,
                format!("unknown extra question `{id}`; use one of {}", known.join(", ")),
            );
            continue;
        }
        if yn.value.yes as u64 + yn.value.no as u64 > yn.value.asked as u64 {
            check.fail(Some(&yn.referenced), &field, "yes + no is larger than `asked`".into());
        }
        out.extra.insert(id.clone(), yn.value);
    }
    for (id, p) in &y.practices {
        check_practice(check, &format!("{at}.practices.{id}"), id, p, raw, benchmarks);
        practices.insert(id.clone(), p.value.clone());
    }
    let reported = Reported {
        year,
        benchmark_set,
        stages: out.stages.keys().copied().collect(),
        outcomes: out.outcomes.keys().copied().collect(),
    };
    (reported, out, practices)
}

/// The old name of `parent_degree_by_18`. Its `yes` meant "first in family", the opposite of a
/// `yes` to the question as the SMC asks it, which is why it was renamed.
const DEPRECATED_FIRST_GENERATION: &str = "first_generation";
const PARENT_DEGREE: &str = "parent_degree_by_18";

/// Read the deprecated `first_generation` answers as `parent_degree_by_18` with yes and no
/// swapped, and warn (a warning, not an error: old files keep building).
fn read_first_generation(file: &Path, field: &str, yn: &Spanned<YesNo>, out: &mut Year) {
    let l = &yn.referenced;
    eprintln!(
        "warning: {}:{}: {field}: `first_generation` is deprecated; rename it `{PARENT_DEGREE}` and swap `yes` and `no` (`yes` now means a parent had a degree by the time the person was 18)",
        file.display(),
        l.line()
    );
    let v = yn.value;
    out.extra.insert(PARENT_DEGREE.to_string(), YesNo { asked: v.asked, yes: v.no, no: v.yes });
}

fn check_answers(check: &mut Checker<'_>, field: &str, a: &Spanned<Answers>) {
    let v = &a.value;
    if v.answered() > v.asked as u64 {
        check.fail(
            Some(&a.referenced),
            field,
            format!("the answers add up to {} but only {} were asked", v.answered(), v.asked),
        );
    }
}

fn check_outcomes(check: &mut Checker<'_>, field: &str, t: &Spanned<OutcomeTable>) {
    for (g, o) in [
        ("professional", t.value.professional),
        ("intermediate", t.value.intermediate),
        ("working_class", t.value.working_class),
    ] {
        if o.achieved > o.due {
            check.fail(
                Some(&t.referenced),
                &format!("{field}.{g}"),
                format!("achieved ({}) is larger than due ({})", o.achieved, o.due),
            );
        }
    }
}

/// Progression is counted among completers, so it cannot exceed completion per group.
fn check_chain(check: &mut Checker<'_>, at: &str, y: &YearFile) {
    let (Some(c), Some(p)) = (&y.outcomes.completion, &y.outcomes.progression) else { return };
    for (g, ca, pd) in [
        ("professional", c.value.professional.achieved, p.value.professional.due),
        ("intermediate", c.value.intermediate.achieved, p.value.intermediate.due),
        ("working_class", c.value.working_class.achieved, p.value.working_class.due),
    ] {
        if pd > ca {
            check.fail(
                Some(&p.referenced),
                &format!("{at}.outcomes.progression.{g}.due"),
                format!("progression counts completers, but {pd} is more than the {ca} who completed"),
            );
        }
    }
}

fn check_practice(
    check: &mut Checker<'_>,
    field: &str,
    id: &str,
    p: &Spanned<PracticeEntry>,
    raw: &EmployerFile,
    benchmarks: &BenchmarkSet,
) {
    let Some((_, practice)) = benchmarks.practice(id) else {
        if check.ids_checked {
            // Told where it is written, by `check_written_practices`.
            return;
        }
        let ids: Vec<String> = benchmarks
            .chapters
            .iter()
            .flat_map(|c| c.practices.iter().map(move |p| format!("{}.{}", c.id, p.id)))
            .collect();
        let hint = crate::suggest::closest(id, ids.iter().map(String::as_str));
        check.fail(
            Some(&p.referenced),
            field,
            format!(
                "`{id}` is not a practice of benchmark set `{}`{hint} (ids look like `data.ask_right_question`)",
                benchmarks.id
            ),
        );
        return;
    };
    let conditional = practice.may_not_apply || practice.applies_if.is_some();
    if p.value.status == PracticeStatus::NotApplicable && !conditional {
        check.fail(
            Some(&p.referenced),
            field,
            format!("`{id}` applies to every employer; it cannot be not_applicable"),
        );
    }
    if practice.applies_if.as_deref() == Some("levy_payer")
        && check.levy_payer_known
        && !raw.levy_payer
        && p.value.status != PracticeStatus::NotApplicable
    {
        check.fail(Some(&p.referenced), field, format!("`{id}` applies only to levy payers; mark it not_applicable"));
    }
    if p.value.status == PracticeStatus::InPlace && p.value.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        check.fail(
            Some(&p.referenced),
            field,
            "a practice in place needs a one-line `note` saying what is done".into(),
        );
    }
}
