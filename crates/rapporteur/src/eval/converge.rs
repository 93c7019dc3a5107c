//! Scoring convergence and divergence detection against the labels, and calibrating the
//! point thresholds on one track's labels.
//!
//! Points are matched through the statements they cite, at line level (`<doc>#<line>`, the
//! labels' references):
//!
//! - a predicted **converging** point finds a labelled convergence point when they share
//!   lines of at least two documents;
//! - a predicted **diverging** point finds a labelled divergence point when it holds
//!   lines of at least two of its sides, or, for a disagreement stated inside one session
//!   (whose sides cite the same line), that line;
//! - and in both cases the shared lines make up at least half of the predicted point's
//!   takeaway lines, so that a point lumping several labelled points together, or padded
//!   with lines that make other points, finds none of them.
//!
//! Precision is the share of predicted points that find a labelled one; recall the share of
//! labelled points found (`tp` counts those). Labels cite takeaway lines only and are
//! complete for them (a takeaway line in no labelled point makes a point of fewer than
//! three sessions); report and DC-output lines are not labelled and are ignored, except
//! that a predicted point made of them alone cannot be found and counts against precision.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Labels;
use super::metrics::PrecisionRecall;
use crate::converge::{Class, ConvergeParams, Converged, Point, Prepared};
use crate::model::Kind;
use crate::questions::PolicyQuestions;

/// Precision and recall when predicted and labelled items are matched many-to-many.
fn matched(found_pred: usize, n_pred: usize, found_gold: usize, n_gold: usize) -> PrecisionRecall {
    let mut pr = PrecisionRecall::new(found_gold, n_pred - found_pred, n_gold - found_gold);
    pr.precision = if n_pred == 0 {
        0.0
    } else {
        found_pred as f64 / n_pred as f64
    };
    pr.recall = if n_gold == 0 {
        0.0
    } else {
        found_gold as f64 / n_gold as f64
    };
    pr.f1 = if pr.precision + pr.recall == 0.0 {
        0.0
    } else {
        2.0 * pr.precision * pr.recall / (pr.precision + pr.recall)
    };
    pr
}

/// Share of labelled statements placed on their labelled question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Placement {
    /// Labelled lines.
    pub lines: usize,
    /// Of those, lines kept as statements.
    pub found: usize,
    /// Of those, lines placed on the labelled question.
    pub correct: usize,
    /// `correct / lines`.
    pub accuracy: f64,
}

/// Scores of one track (or all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectionScores {
    /// Converging points against convergence labels.
    pub convergence: PrecisionRecall,
    /// Diverging points against divergence labels.
    pub divergence: PrecisionRecall,
    /// Recall of the divergences stated inside one session (precision over the predicted
    /// within-session points).
    pub within_session: PrecisionRecall,
    /// The same for divergences across sessions.
    pub across_sessions: PrecisionRecall,
    /// Statement placement on questions.
    pub placement: Placement,
    /// Predicted points per class.
    pub predicted: BTreeMap<String, usize>,
}

/// Scores per track and overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConvergeEval {
    /// The track the thresholds were calibrated on (its scores are not held out).
    pub calibrated_on: String,
    /// Per track.
    pub tracks: BTreeMap<String, DetectionScores>,
    /// The tracks other than the calibration track, pooled.
    pub held_out: DetectionScores,
    /// Every track, pooled.
    pub all: DetectionScores,
    /// The parameters.
    pub params: ConvergeParams,
}

fn refs(p: &Point) -> BTreeSet<String> {
    p.statements
        .iter()
        .map(|s| format!("{}#{}", s.doc, s.line))
        .collect()
}

fn doc_of(r: &str) -> &str {
    r.split('#').next().unwrap_or(r)
}

/// Scores the points of the given tracks against the labels of the same tracks.
pub fn score(
    converged: &Converged,
    labels: &Labels,
    questions: &PolicyQuestions,
    tracks: &[&str],
) -> DetectionScores {
    let track_of: BTreeMap<&str, &str> = questions
        .questions()
        .map(|(t, q)| (q.id.as_str(), t.id.as_str()))
        .collect();
    let on = |q: &str| track_of.get(q).is_some_and(|t| tracks.contains(t));
    let points: Vec<&Point> = converged
        .convergence
        .points
        .iter()
        .filter(|p| tracks.contains(&p.track.as_str()))
        .collect();
    let mut predicted = BTreeMap::new();
    for p in &points {
        *predicted.entry(p.class.as_str().to_string()).or_insert(0) += 1;
    }

    // Convergence.
    let gold: Vec<BTreeSet<String>> = labels
        .convergence
        .iter()
        .filter(|c| on(&c.policy_question))
        .map(|c| c.statements.iter().cloned().collect())
        .collect();
    let conv: Vec<BTreeSet<String>> = points
        .iter()
        .filter(|p| p.class == Class::Converging)
        .map(|p| refs(p))
        .collect();
    // Takeaway lines: the lines the labels cover.
    let takeaway_lines: BTreeSet<String> = converged
        .statements
        .iter()
        .filter(|s| s.kind == Kind::Takeaway)
        .map(|s| s.line_ref())
        .collect();
    let pure = |pred: &BTreeSet<String>, shared: usize| {
        let covered = pred.iter().filter(|r| takeaway_lines.contains(*r)).count();
        2 * shared >= covered
    };
    let hit = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
        let shared: BTreeSet<&String> = a.intersection(b).collect();
        shared
            .iter()
            .map(|r| doc_of(r))
            .collect::<BTreeSet<_>>()
            .len()
            >= 2
            && pure(a, shared.len())
    };
    let found_pred = conv
        .iter()
        .filter(|c| gold.iter().any(|g| hit(c, g)))
        .count();
    let found_gold = gold
        .iter()
        .filter(|g| conv.iter().any(|c| hit(c, g)))
        .count();
    let convergence = matched(found_pred, conv.len(), found_gold, gold.len());

    // Divergence.
    let div_gold: Vec<(bool, Vec<BTreeSet<String>>)> = labels
        .divergence
        .iter()
        .filter(|d| on(&d.policy_question))
        .map(|d| {
            (
                d.within_session,
                d.sides
                    .iter()
                    .map(|s| s.statements.iter().cloned().collect())
                    .collect(),
            )
        })
        .collect();
    let div: Vec<(bool, BTreeSet<String>)> = points
        .iter()
        .filter(|p| p.class == Class::Diverging)
        .map(|p| (p.divergence.is_some_and(|d| d.within_session), refs(p)))
        .collect();
    let finds = |pred: &BTreeSet<String>, gold: &(bool, Vec<BTreeSet<String>>)| {
        let sides = gold.1.iter().filter(|side| !side.is_disjoint(pred)).count();
        let shared = pred
            .iter()
            .filter(|r| gold.1.iter().any(|side| side.contains(*r)))
            .count();
        (if gold.0 { sides >= 1 } else { sides >= 2 }) && pure(pred, shared)
    };
    let score_div = |pred: &[&(bool, BTreeSet<String>)],
                     gold: &[&(bool, Vec<BTreeSet<String>>)]| {
        let fp = pred
            .iter()
            .filter(|p| div_gold.iter().any(|g| finds(&p.1, g)))
            .count();
        let fg = gold
            .iter()
            .filter(|g| div.iter().any(|p| finds(&p.1, g)))
            .count();
        matched(fp, pred.len(), fg, gold.len())
    };
    let all_pred: Vec<&(bool, BTreeSet<String>)> = div.iter().collect();
    let all_gold: Vec<&(bool, Vec<BTreeSet<String>>)> = div_gold.iter().collect();
    let pick = |within: bool| {
        (
            div.iter().filter(|p| p.0 == within).collect::<Vec<_>>(),
            div_gold
                .iter()
                .filter(|g| g.0 == within)
                .collect::<Vec<_>>(),
        )
    };
    let (wp, wg) = pick(true);
    let (ap, ag) = pick(false);

    // Placement of the labelled lines.
    let mut placed: BTreeMap<String, Option<&str>> = BTreeMap::new();
    for s in &converged.statements {
        placed
            .entry(s.line_ref())
            .or_insert(s.policy_question.as_deref());
    }
    let mut placement = Placement::default();
    let labelled = labels
        .convergence
        .iter()
        .map(|c| (&c.policy_question, c.statements.iter().collect::<Vec<_>>()))
        .chain(labels.divergence.iter().map(|d| {
            (
                &d.policy_question,
                d.sides.iter().flat_map(|s| &s.statements).collect(),
            )
        }));
    let mut seen = BTreeSet::new();
    for (q, lines) in labelled.filter(|(q, _)| on(q)) {
        for r in lines {
            if !seen.insert(r.clone()) {
                continue;
            }
            placement.lines += 1;
            if let Some(p) = placed.get(r.as_str()) {
                placement.found += 1;
                if *p == Some(q.as_str()) {
                    placement.correct += 1;
                }
            }
        }
    }
    placement.accuracy = if placement.lines == 0 {
        0.0
    } else {
        placement.correct as f64 / placement.lines as f64
    };
    DetectionScores {
        convergence,
        divergence: score_div(&all_pred, &all_gold),
        within_session: score_div(&wp, &wg),
        across_sessions: score_div(&ap, &ag),
        placement,
        predicted,
    }
}

/// The track of the sample corpus whose labels the convergence thresholds are calibrated on;
/// the other tracks are held out.
pub const CALIBRATION_TRACK: &str = "data";

/// Scores a fitted analysis: each track, the held-out tracks pooled, and all.
pub fn evaluate(
    converged: &Converged,
    labels: &Labels,
    questions: &PolicyQuestions,
    calibrated_on: &str,
) -> ConvergeEval {
    let all: Vec<&str> = questions.tracks.iter().map(|t| t.id.as_str()).collect();
    let held: Vec<&str> = all
        .iter()
        .copied()
        .filter(|t| *t != calibrated_on)
        .collect();
    ConvergeEval {
        calibrated_on: calibrated_on.to_string(),
        tracks: all
            .iter()
            .map(|t| (t.to_string(), score(converged, labels, questions, &[t])))
            .collect(),
        held_out: score(converged, labels, questions, &held),
        all: score(converged, labels, questions, &all),
        params: converged.convergence.params.clone(),
    }
}

/// One setting tried by calibration, with its scores on the calibration track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridRow {
    /// LSA weight of the similarity.
    pub alpha: f32,
    /// Weight of the direct similarity against the second-order one.
    pub direct: f32,
    /// Point merge threshold.
    pub threshold: f32,
    /// Similarity for opposing statements.
    pub divergence_threshold: f32,
    /// Convergence F1.
    pub convergence_f1: f64,
    /// Divergence F1.
    pub divergence_f1: f64,
    /// Mean of the summed F1 over this setting and its neighbouring thresholds: the
    /// calibration criterion.
    pub smoothed: f64,
}

/// The grid searched by calibration: LSA weight, direct-similarity weight, merge threshold,
/// divergence threshold (the most conservative first, so that ties keep it).
pub const GRID: (&[f32], &[f32], &[f32], &[f32]) = (
    &[0.0, 0.25, 0.5, 0.75, 1.0],
    &[0.0, 0.5, 1.0],
    &[0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
    &[0.3, 0.15, 0.05],
);

/// Tries every setting of [`GRID`] on one track's labels; rows sorted best first by the
/// sum of the convergence and divergence F1 averaged with the neighbouring thresholds
/// (ties keep the grid order).
pub fn calibrate(
    prepared: &Prepared,
    base: &ConvergeParams,
    labels: &Labels,
    questions: &PolicyQuestions,
    track: &str,
) -> Result<Vec<GridRow>, crate::Error> {
    let mut rows = Vec::new();
    for &alpha in GRID.0 {
        for &direct in GRID.1 {
            for &threshold in GRID.2 {
                for &divergence_threshold in GRID.3 {
                    let params = base
                        .clone()
                        .alpha(alpha)
                        .direct(direct)
                        .threshold(threshold)
                        .divergence_threshold(divergence_threshold)
                        .check()?;
                    let c = params.group(prepared.clone());
                    let s = score(&c, labels, questions, &[track]);
                    rows.push(GridRow {
                        alpha,
                        direct,
                        threshold,
                        divergence_threshold,
                        convergence_f1: s.convergence.f1,
                        divergence_f1: s.divergence.f1,
                        smoothed: 0.0,
                    });
                }
            }
        }
    }
    // A setting is judged with its neighbours on the threshold axis (the labels are few:
    // a lone peak is more likely luck than a good setting).
    let raw: Vec<f64> = rows
        .iter()
        .map(|r| r.convergence_f1 + r.divergence_f1)
        .collect();
    let n = GRID.3.len();
    let t = GRID.2.len();
    for (k, r) in rows.iter_mut().enumerate() {
        let step = (k / n) % t;
        let around: Vec<f64> = [
            step.checked_sub(1),
            Some(step),
            (step + 1 < t).then_some(step + 1),
        ]
        .into_iter()
        .flatten()
        .map(|s| raw[k - step * n + s * n])
        .collect();
        r.smoothed = around.iter().sum::<f64>() / around.len() as f64;
    }
    rows.sort_by(|a, b| b.smoothed.total_cmp(&a.smoothed));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_to_many_matching_counts_each_side() {
        let pr = matched(2, 4, 1, 3);
        assert!((pr.precision - 0.5).abs() < 1e-12);
        assert!((pr.recall - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!((pr.tp, pr.fp, pr.r#fn), (1, 2, 2));
        assert_eq!(matched(0, 0, 0, 0).f1, 0.0);
    }
}
