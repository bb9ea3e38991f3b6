//! Benchmark sets: the published figures employers are scored against, the toolkit's practices,
//! and the national research figures shown as context only.

use crate::error::Diagnostic;
use crate::load::yaml;
use crate::model::safe_url::SafeUrl;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// A cited publication.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Identifier that figures cite in their `source`.
    pub id: String,
    /// Title of the publication.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// Year of publication.
    pub year: u16,
    /// Where to read it.
    #[serde(default)]
    pub url: Option<SafeUrl>,
}

/// One figure with where it comes from.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The figure (a share as a proportion, e.g. 0.37).
    pub value: f64,
    /// Identifier of an entry in `sources`.
    pub source: String,
    /// Page or section in the source.
    #[serde(default)]
    pub page: Option<String>,
    /// Anything a reader should know about the figure.
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a statement (rather than a figure) comes from.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Identifier of an entry in `sources`.
    pub source: String,
    /// Page or section in the source.
    #[serde(default)]
    pub page: Option<String>,
}

/// The key question and its national benchmark per group.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyQuestion {
    /// The key question's wording.
    pub question: String,
    /// The share of people asked who should answer.
    pub response_rate_target: Figure,
    /// National share from a professional background.
    pub professional: Figure,
    /// National share from an intermediate background.
    pub intermediate: Figure,
    /// National share from a working-class background.
    pub working_class: Figure,
}

/// An optional extra question, shown as context against its national figure.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtraQuestion {
    /// Identifier employers use under `extra_questions`.
    pub id: String,
    /// Short label for tables.
    pub label: String,
    /// The question's wording.
    pub question: String,
    /// What the national figure is a share of (it is not always the same population).
    pub comparator: String,
    /// The national figure.
    pub benchmark: Figure,
    /// Which answer the national figure counts: the share shown is of this answer.
    #[serde(default)]
    pub share_of: Answer,
    /// Whether a share above (`more`) or below (`fewer`) the national figure suggests wider access.
    pub wider_access_when: Direction,
    /// Why the national figure is a weak comparison, when it is (e.g. a different population).
    #[serde(default)]
    pub weak_comparison: Option<String>,
}

/// A yes/no answer.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Counts those who answered yes.
    #[default]
    Yes,
    /// Counts those who answered no.
    No,
}

/// Which side of a national figure suggests wider access.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A share above the national figure suggests wider access.
    More,
    /// A share below the national figure suggests wider access.
    Fewer,
}

/// A data category of the toolkit and its target.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Identifier of the category.
    pub id: String,
    /// Short label.
    pub label: String,
    /// Whether it measures who gets in (representation) or how they do (outcome).
    pub kind: CategoryKind,
    /// What the category measures.
    pub description: String,
    /// The toolkit's target for it.
    pub target: String,
    /// Where the target comes from.
    pub target_source: Citation,
    /// Whether the toolkit makes it a priority.
    #[serde(default)]
    pub priority: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CategoryKind {
    /// Who gets in: shares of each group at a stage.
    Representation,
    /// How they do: rates per group.
    Outcome,
}

/// A national research figure: a different measure (IMD-based), shown, never scored against.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextFigure {
    /// Identifier of the figure.
    pub id: String,
    /// Short label.
    pub label: String,
    /// What is measured (context figures use other measures, e.g. IMD).
    pub measure: String,
    /// The values, each with its label.
    pub values: Vec<LabelledValue>,
    /// Identifier of an entry in `sources`.
    pub source: String,
    /// Page or section in the source.
    #[serde(default)]
    pub page: Option<String>,
    /// Year or period the figure covers.
    #[serde(default)]
    pub year: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelledValue {
    /// What the value is of.
    pub label: String,
    /// The value.
    pub value: f64,
}

/// A 'must have' intervention.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    /// Identifier within its chapter: employers write `chapter.practice` under `practices`.
    pub id: String,
    /// The practice in a few words.
    pub title: String,
    /// What the toolkit asks for.
    pub summary: String,
    /// The practice applies only when the employer has this property (e.g. `levy_payer`).
    #[serde(default)]
    pub applies_if: Option<String>,
    /// The toolkit says "where possible": an employer may mark it not applicable.
    #[serde(default)]
    pub may_not_apply: bool,
}

/// A chapter of the toolkit with its must-have practices.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// Identifier (also a story theme).
    pub id: String,
    /// The chapter's title.
    pub title: String,
    /// Its must-have practices.
    pub practices: Vec<Practice>,
}

/// Statistical settings: in the data, not in code.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Confidence level of every interval, e.g. 0.95.
    pub confidence: f64,
    /// The matching two-sided normal quantile, e.g. 1.96.
    pub z: f64,
    /// Outcome gaps inside ± this margin (as a proportion) may be called comparable; a share
    /// whose interval's lower end is within this margin of the benchmark is in line with it.
    pub comparable_margin: Figure,
    /// Two rates are comparable only if the interval of their ratio lies within this value and
    /// its reciprocal (the four-fifths rule: 0.8 to 1.25).
    pub comparable_ratio: Figure,
    /// The toolkit's anonymity threshold; a site may raise it, never lower it.
    pub anonymity_threshold: Figure,
    /// Weight of a practice marked `partial`.
    pub partial_weight: f64,
}

/// A whole benchmark set file.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkSet {
    /// Identifier that site.yaml's `benchmark_set` names.
    pub id: String,
    /// Title of the set.
    pub title: String,
    /// Changes to this mark a break in series on trend charts.
    pub version: String,
    /// Identifiers of earlier benchmark sets that an employer's year may name in
    /// `benchmark_set` (figures collected under them are shown with a break in series).
    #[serde(default)]
    pub earlier_sets: Vec<String>,
    /// The publications its figures come from.
    pub sources: Vec<Source>,
    /// Statistical settings of the scoring.
    pub method: Method,
    /// The key question and its national figures.
    pub key_question: KeyQuestion,
    /// The share of people asked who should answer the extra questions.
    pub extra_questions_response_target: Figure,
    /// Optional extra questions.
    pub extra_questions: Vec<ExtraQuestion>,
    /// The toolkit's data categories and their targets.
    pub categories: Vec<Category>,
    /// The apprenticeship level bands employers may report (`levels`).
    pub level_bands: Vec<String>,
    /// The toolkit's chapters and their practices.
    pub chapters: Vec<Chapter>,
    /// National research figures shown as context, never scored against.
    #[serde(default)]
    pub context: Vec<ContextFigure>,
    /// The sectors an employer may name (`sector:`), so that a typo is an error rather than a
    /// new sector page. Left out: [`DEFAULT_SECTORS`]; `sectors:` in site.yaml overrides both.
    #[serde(default = "default_sectors")]
    pub sectors: Vec<String>,
}

/// The sectors a site has unless its benchmark set or site.yaml lists its own: the broad
/// industry groups of the ONS's Standard Industrial Classification in plain words, with the
/// sectors the toolkit's figures name (public sector, retail, financial and professional
/// services, creative industries).
pub const DEFAULT_SECTORS: &[&str] = &[
    "Agriculture, forestry and fishing",
    "Armed forces and protective services",
    "Arts, culture and heritage",
    "Business administration and support",
    "Charity and voluntary sector",
    "Construction",
    "Creative industries and media",
    "Digital and technology",
    "Education and early years",
    "Energy and utilities",
    "Engineering and manufacturing",
    "Financial and professional services",
    "Food and drink manufacturing",
    "Hair and beauty",
    "Health and social care",
    "Hospitality and catering",
    "Legal and professional services",
    "Mining and quarrying",
    "Property and real estate",
    "Public sector",
    "Retail",
    "Science and research",
    "Sport and leisure",
    "Transport and logistics",
    "Water and waste",
    "Wholesale",
];

fn default_sectors() -> Vec<String> {
    DEFAULT_SECTORS.iter().map(|s| s.to_string()).collect()
}

/// The toolkit's benchmark set as the example site ships it: `ladder new` copies it into a new
/// site, and the JSON Schemas written outside a site take their lists from it.
pub const TOOLKIT_YAML: &str = include_str!("../../content/benchmarks/smc-apprenticeships-2021.yaml");

impl BenchmarkSet {
    /// The toolkit's set ([`TOOLKIT_YAML`]), read.
    pub fn toolkit() -> Option<BenchmarkSet> {
        BenchmarkSet::parse(Path::new("smc-apprenticeships-2021.yaml"), TOOLKIT_YAML).ok()
    }

    pub fn parse(file: &Path, text: &str) -> Result<Self, Vec<Diagnostic>> {
        let parsed = yaml::parse_all::<BenchmarkSet>(file, text, 0);
        let mut problems = parsed.problems.clone();
        let Some(set) = &parsed.value else { return Err(problems) };
        // What could be read is checked too, so one run reports every problem; a source left
        // out does not make the figures that cite it wrong.
        let checks = set.validate(file, !parsed.left_out("sources"));
        problems.extend(checks.into_iter().filter(|d| !d.field.as_deref().is_some_and(|f| parsed.left_out(f))));
        let Some(set) = parsed.value else { return Err(problems) };
        if problems.is_empty() { Ok(set) } else { Err(problems) }
    }

    fn validate(&self, file: &Path, sources_known: bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let sources: BTreeSet<&str> = self.sources.iter().map(|s| s.id.as_str()).collect();
        for (field, fig) in self.figures() {
            if sources_known && !sources.contains(fig.source.as_str()) {
                out.push(
                    Diagnostic::new(file, format!("source `{}` is not listed under `sources`", fig.source))
                        .field(field.clone()),
                );
            }
            if !(0.0..=1.0).contains(&fig.value) && !field.ends_with("anonymity_threshold") {
                out.push(Diagnostic::new(file, "a proportion must be between 0 and 1").field(field));
            }
        }
        for c in &self.categories {
            if sources_known && !sources.contains(c.target_source.source.as_str()) {
                out.push(
                    Diagnostic::new(file, format!("source `{}` is not listed under `sources`", c.target_source.source))
                        .field(format!("categories.{}.target_source", c.id)),
                );
            }
        }
        let kq = &self.key_question;
        let sum = kq.professional.value + kq.intermediate.value + kq.working_class.value;
        if (sum - 1.0).abs() > 0.005 {
            out.push(
                Diagnostic::new(file, format!("the three group benchmarks must sum to 1 (they sum to {sum:.3})"))
                    .field("key_question"),
            );
        }
        if self.sectors.iter().all(|s| s.trim().is_empty()) {
            out.push(
                Diagnostic::new(file, "`sectors` lists no sector; list them, or leave `sectors` out").field("sectors"),
            );
        }
        let mut ids = BTreeSet::new();
        for c in &self.chapters {
            for p in &c.practices {
                if !ids.insert(format!("{}.{}", c.id, p.id)) {
                    out.push(Diagnostic::new(file, format!("practice `{}.{}` is defined twice", c.id, p.id)));
                }
            }
        }
        out
    }

    /// Every cited figure with the field it sits in, for validation and the methodology page.
    pub fn figures(&self) -> Vec<(String, &Figure)> {
        let kq = &self.key_question;
        let mut v = vec![
            ("key_question.response_rate_target".to_string(), &kq.response_rate_target),
            ("key_question.professional".to_string(), &kq.professional),
            ("key_question.intermediate".to_string(), &kq.intermediate),
            ("key_question.working_class".to_string(), &kq.working_class),
            ("extra_questions_response_target".to_string(), &self.extra_questions_response_target),
            ("method.comparable_margin".to_string(), &self.method.comparable_margin),
            ("method.comparable_ratio".to_string(), &self.method.comparable_ratio),
            ("method.anonymity_threshold".to_string(), &self.method.anonymity_threshold),
        ];
        for q in &self.extra_questions {
            v.push((format!("extra_questions.{}", q.id), &q.benchmark));
        }
        v
    }

    /// The ratio bounds for calling two rates comparable, e.g. (0.8, 1.25).
    pub fn ratio_bounds(&self) -> (f64, f64) {
        let r = self.method.comparable_ratio.value;
        (r.min(1.0 / r), r.max(1.0 / r))
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Look up a practice by its full identifier `chapter.practice`.
    pub fn practice(&self, full_id: &str) -> Option<(&Chapter, &Practice)> {
        let (ch, id) = full_id.split_once('.')?;
        let chapter = self.chapters.iter().find(|c| c.id == ch)?;
        chapter.practices.iter().find(|p| p.id == id).map(|p| (chapter, p))
    }

    pub fn chapter(&self, id: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn practice_count(&self) -> usize {
        self.chapters.iter().map(|c| c.practices.len()).sum()
    }
}
