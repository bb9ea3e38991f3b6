//! Practices: the toolkit's must-have interventions, counted per chapter in words.

use crate::model::benchmarks::BenchmarkSet;
use crate::model::employer::{Employer, PracticeStatus};
use crate::model::ids::{Outcome, Stage};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PracticeResult {
    pub id: String,
    pub title: String,
    pub status: PracticeStatus,
    /// Not in the employer's file at all.
    pub reported: bool,
    pub note: Option<String>,
    pub evidence: Option<String>,
    /// A claim the submitted data does not bear out (e.g. using data without having it).
    pub caution: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterResult {
    pub id: String,
    pub title: String,
    pub in_place: usize,
    pub partial: usize,
    pub applicable: usize,
    /// "3 of 4 in place, 1 partly".
    pub summary: String,
    pub practices: Vec<PracticeResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PracticeSummary {
    pub year: Option<i32>,
    pub in_place: usize,
    pub partial: usize,
    pub applicable: usize,
    pub total: usize,
    /// In-place + partial × weight, over applicable items (the published weights).
    pub score: f64,
    pub with_evidence: usize,
    pub chapters: Vec<ChapterResult>,
}

/// Practices as reported in the latest year.
pub fn score(e: &Employer, set: &BenchmarkSet) -> PracticeSummary {
    let weight = set.method.partial_weight;
    let mut chapters = Vec::new();
    for ch in &set.chapters {
        let mut results = Vec::new();
        for pr in &ch.practices {
            let id = format!("{}.{}", ch.id, pr.id);
            let entry = e.practices.get(&id);
            let forced_na = pr.applies_if.as_deref() == Some("levy_payer") && !e.levy_payer;
            let status = if forced_na {
                PracticeStatus::NotApplicable
            } else {
                entry.map(|p| p.status).unwrap_or(PracticeStatus::NotStarted)
            };
            results.push(PracticeResult {
                caution: caution(&id, status, e),
                id,
                title: pr.title.clone(),
                status,
                reported: entry.is_some(),
                note: entry.and_then(|p| p.note.clone()),
                evidence: entry.and_then(|p| p.evidence.clone()),
            });
        }
        let count = |s| results.iter().filter(|r| r.status == s).count();
        let (in_place, partial) = (count(PracticeStatus::InPlace), count(PracticeStatus::Partial));
        let applicable = results.len() - count(PracticeStatus::NotApplicable);
        chapters.push(ChapterResult {
            id: ch.id.clone(),
            title: ch.title.clone(),
            in_place,
            partial,
            applicable,
            summary: words(in_place, partial, applicable),
            practices: results,
        });
    }
    let sum = |f: fn(&ChapterResult) -> usize| chapters.iter().map(f).sum::<usize>();
    let (in_place, partial, applicable) = (sum(|c| c.in_place), sum(|c| c.partial), sum(|c| c.applicable));
    let with_evidence = chapters.iter().flat_map(|c| &c.practices).filter(|p| p.evidence.is_some()).count();
    PracticeSummary {
        year: e.latest_year,
        in_place,
        partial,
        applicable,
        total: set.practice_count(),
        score: if applicable == 0 { 0.0 } else { (in_place as f64 + weight * partial as f64) / applicable as f64 },
        with_evidence,
        chapters,
    }
}

/// The toolkit ties "use your data" to having data by applications, starts, levels and completion.
fn caution(id: &str, status: PracticeStatus, e: &Employer) -> Option<String> {
    if id != "data.use_to_inform_change" || status != PracticeStatus::InPlace {
        return None;
    }
    let y = e.reported.last()?;
    let has_levels = y.stages.iter().any(|k| matches!(k, Stage::Level(_)));
    let complete = y.stages.contains(&Stage::Applicants)
        && y.stages.contains(&Stage::Starts)
        && has_levels
        && y.outcomes.contains(&Outcome::Completion);
    (!complete).then(|| "the latest year's data lacks applicants, starts, levels or completion".to_string())
}

/// "3 of 4 in place, 1 partly".
pub fn words(in_place: usize, partial: usize, applicable: usize) -> String {
    let mut s = format!("{in_place} of {applicable} in place");
    if partial > 0 {
        s.push_str(&format!(", {partial} partly"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_naturally() {
        assert_eq!(words(3, 1, 4), "3 of 4 in place, 1 partly");
        assert_eq!(words(2, 0, 3), "2 of 3 in place");
    }
}
