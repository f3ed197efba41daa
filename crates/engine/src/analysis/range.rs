//! The range of `simulate --range` (DESIGN §5): how many people lose access at the
//! bounds the spec's sources give its numbers. A segment's people are decided record by
//! record, and a record's outcome does not depend on how many people it stands for, so
//! each kind of record is decided once, and every combination of bounds only re-weighs
//! them. People who lose access are, in each parameter alone, linear (sizes, scalar
//! shares) or a ratio of linear functions (a table entry's weight over the table's
//! total), so monotone: the lowest and highest sit at corners of the box of bounds, and
//! the corners of each segment's own parameters are enumerated. Weights are apportioned
//! to whole people exactly as the population is expanded, so each corner's count is the
//! one `simulate --set` gives there.

use thiserror::Error;

use super::reweigh::EveryRow;
use crate::aggregate::simulate;
use crate::load::Scenario;
use crate::load::parameters::{self, Bounded};
use crate::load::spec::{ApportionScratch, PopulationSpec, apportioned_sum, segment_weights_into};
use crate::model::date::Date;
use crate::model::outcome::Outcome;
use crate::source::diagnostic::Problem;

/// The most bounded parameters one segment may have: 2^12 corners.
pub const MAX_BOUNDED: usize = 12;

/// Why a range cannot be worked out.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum RangeError {
    /// The population is a CSV, whose weights have no bounds.
    #[error("the population is not a population spec, so it has no bounds")]
    NoSpec,
    /// No parameter has bounds.
    #[error("no parameter of the population spec has bounds")]
    NoBounds,
    /// Too many corners.
    #[error("segment `{segment}` has {count} parameters with bounds, more than {max}")]
    TooMany {
        /// The segment.
        segment: String,
        /// How many it has.
        count: usize,
        /// The most allowed.
        max: usize,
    },
    /// The records could not be decided.
    #[error("the records of the spec could not be decided")]
    NotDecided,
}

impl Problem for RangeError {
    fn help(&self) -> Option<String> {
        match self {
            RangeError::NoSpec => Some(
                "`--range` needs `population` to name a `*.population.toml` whose numbers carry `low` and `high`".into(),
            ),
            RangeError::NoBounds => Some("write a number with its bounds as `{ value = 0.3, low = 0.1, high = 0.5 }`".into()),
            RangeError::TooMany { .. } => Some(format!(
                "every combination of bounds is simulated (2 to the power of their number); drop the bounds of the parameters that matter least, to {MAX_BOUNDED} or fewer per segment"
            )),
            RangeError::NotDecided => None,
        }
    }
}

/// The lowest or highest people losing access in one segment, and where it is reached.
#[derive(Clone, Debug, PartialEq)]
pub struct Extreme {
    /// People who lose access to at least one product.
    pub lose_any: f64,
    /// The value of each of the segment's bounded parameters there.
    pub at: Vec<(String, f64)>,
}

/// One segment's range.
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentRange {
    /// The segment.
    pub segment: String,
    /// At the spec's values.
    pub value: f64,
    /// The lowest.
    pub low: Extreme,
    /// The highest.
    pub high: Extreme,
}

/// One parameter moved alone from its low to its high bound.
#[derive(Clone, Debug, PartialEq)]
pub struct Swing {
    /// The parameter.
    pub param: String,
    /// Everyone who loses access, the parameter at its low bound.
    pub low: f64,
    /// Everyone who loses access, the parameter at its high bound.
    pub high: f64,
}

/// The whole range.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// Every bounded parameter.
    pub params: Vec<Bounded>,
    /// Per segment, in the population's order.
    pub people: Vec<SegmentRange>,
    /// Largest swing first.
    pub swing: Vec<Swing>,
    /// Everyone who loses access at the spec's values.
    pub total: f64,
}

impl Range {
    /// Everyone's lowest, spec-value and highest: the sums over the segments. A segment's
    /// people depend only on its own parameters, so the segments' extremes are reached
    /// together and the sums are the exact extremes for everyone.
    pub fn everyone(&self) -> (f64, f64, f64) {
        self.people
            .iter()
            .fold((0.0, 0.0, 0.0), |(low, value, high), s| {
                (
                    low + s.low.lose_any,
                    value + s.value,
                    high + s.high.lose_any,
                )
            })
    }
}

/// The records of a spec, decided: for every segment, whether each row it can expand to
/// loses access to at least one product.
pub struct Decided {
    spec: PopulationSpec,
    reading: crate::model::reading::Reading,
    loses: Vec<Vec<bool>>,
}

impl Decided {
    /// Decides every row `scenario`'s spec can expand to on `as_of`, by simulating the
    /// scenario over a population with each row once.
    pub fn new(scenario: Scenario, as_of: Date) -> Result<Decided, RangeError> {
        if scenario.population_spec.is_none() {
            return Err(RangeError::NoSpec);
        }
        let rows = EveryRow::new(scenario).ok_or(RangeError::NotDecided)?;
        let mut worst: Vec<Option<Outcome>> = vec![None; rows.scenario.population.len()];
        simulate(&rows.scenario, &rows.compiled, as_of, |d| {
            if let Some(slot) = worst.get_mut(d.record as usize) {
                *slot = Some(slot.map_or(d.outcome, |w| w.min(d.outcome)));
            }
        });
        let mut loses = worst
            .into_iter()
            .map(|w| w.is_some_and(Outcome::loses_access));
        let loses = rows
            .counts
            .iter()
            .map(|&n| loses.by_ref().take(n).collect())
            .collect();
        Ok(Decided {
            spec: rows.spec,
            reading: rows.reading,
            loses,
        })
    }

    /// The spec the rows were expanded from.
    pub fn spec(&self) -> &PopulationSpec {
        &self.spec
    }

    /// People of segment `index` who lose access when `spec` (the decided spec with some
    /// numbers changed) is expanded, whole people apportioned as the population is.
    pub fn lose_any(&self, spec: &PopulationSpec, index: usize) -> f64 {
        self.lose_any_with(spec, index, &mut Scratch::default())
    }

    /// [`Decided::lose_any`] with buffers kept from one call to the next: only the people
    /// of the rows that lose access are summed, without apportioning every row.
    fn lose_any_with(&self, spec: &PopulationSpec, index: usize, scratch: &mut Scratch) -> f64 {
        segment_weights_into(spec, index, self.reading, &mut scratch.weights);
        let people = spec.segments.get(index).map_or(0.0, |s| s.people.round());
        let loses = self.loses.get(index).map_or(&[][..], Vec::as_slice);
        apportioned_sum(&scratch.weights, people, loses, &mut scratch.apportion) as f64
    }

    /// People of segment `index` who lose access with `values` set (full names).
    pub fn lose_any_at(&self, index: usize, values: &[(String, f64)]) -> f64 {
        let mut spec = self.spec.clone();
        set_all(&mut spec, index, values);
        self.lose_any(&spec, index)
    }
}

/// The buffers one thread reuses from corner to corner.
#[derive(Default)]
struct Scratch {
    weights: Vec<f64>,
    apportion: ApportionScratch,
}

/// Sets parameters (full names) of segment `index`.
fn set_all(spec: &mut PopulationSpec, index: usize, values: &[(String, f64)]) {
    if let Some(segment) = spec.segments.get_mut(index) {
        let prefix = format!("{}.", segment.segment);
        for (name, value) in values {
            if let Some(path) = name.strip_prefix(&prefix) {
                parameters::set_value(segment, path, *value);
            }
        }
    }
}

/// The range of people losing access over every corner of the bounds.
pub fn range(decided: &Decided) -> Result<Range, RangeError> {
    let spec = decided.spec();
    let params = parameters::bounded(spec);
    if params.is_empty() {
        return Err(RangeError::NoBounds);
    }
    let mut people = Vec::new();
    let mut base = Vec::new();
    for (index, segment) in spec.segments.iter().enumerate() {
        let own: Vec<&Bounded> = params
            .iter()
            .filter(|p| p.segment == segment.segment)
            .collect();
        if own.len() > MAX_BOUNDED {
            return Err(RangeError::TooMany {
                segment: segment.segment.clone(),
                count: own.len(),
                max: MAX_BOUNDED,
            });
        }
        let value = decided.lose_any(spec, index);
        base.push(value);
        people.push(corners(decided, index, &own, value));
    }
    let total: f64 = base.iter().sum();
    let swing = swings(decided, &params, &base, total);
    Ok(Range {
        params,
        people,
        swing,
        total,
    })
}

/// The values of the parameters `own` at corner `mask`: bit `i` set is `own[i]`'s high.
fn corner(own: &[&Bounded], mask: usize) -> Vec<(String, f64)> {
    own.iter()
        .enumerate()
        .map(|(bit, p)| {
            let v = if mask >> bit & 1 == 1 { p.high } else { p.low };
            (p.name.clone(), v)
        })
        .collect()
}

/// People of segment `index` who lose access at every corner of `own`, in corner order.
/// The corners are shared out over the machine's cores where it has threads (not in the
/// browser, whose page has one); each is worked out alone, so the values are the same
/// however they are shared.
fn corner_values(decided: &Decided, index: usize, own: &[&Bounded]) -> Vec<f64> {
    let count = 1usize << own.len();
    let work = |masks: std::ops::Range<usize>| -> Vec<f64> {
        let mut spec = decided.spec().clone();
        let mut scratch = Scratch::default();
        masks
            .map(|mask| {
                set_all(&mut spec, index, &corner(own, mask));
                decided.lose_any_with(&spec, index, &mut scratch)
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || count < 64 {
        return work(0..count);
    }
    let chunk = count.div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let parts: Vec<_> = (0..threads)
            .map(|t| {
                let masks = t * chunk..((t + 1) * chunk).min(count);
                let thread = std::thread::Builder::new()
                    .spawn_scoped(scope, move || work(t * chunk..((t + 1) * chunk).min(count)));
                (masks, thread)
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|(masks, thread)| match thread {
                Ok(handle) => handle.join().unwrap_or_else(|_| work(masks)),
                Err(_) => work(masks),
            })
            .collect()
    })
}

/// The lowest and highest of segment `index` over the corners of its parameters `own`.
fn corners(decided: &Decided, index: usize, own: &[&Bounded], value: f64) -> SegmentRange {
    let mut low: Option<Extreme> = None;
    let mut high: Option<Extreme> = None;
    for (mask, lose_any) in corner_values(decided, index, own).into_iter().enumerate() {
        if low.as_ref().is_none_or(|l| lose_any < l.lose_any) {
            low = Some(Extreme {
                lose_any,
                at: corner(own, mask),
            });
        }
        if high.as_ref().is_none_or(|h| lose_any > h.lose_any) {
            high = Some(Extreme {
                lose_any,
                at: corner(own, mask),
            });
        }
    }
    let none = || Extreme {
        lose_any: value,
        at: Vec::new(),
    };
    SegmentRange {
        segment: decided
            .spec()
            .segments
            .get(index)
            .map(|s| s.segment.clone())
            .unwrap_or_default(),
        value,
        low: low.unwrap_or_else(none),
        high: high.unwrap_or_else(none),
    }
}

/// Each parameter alone at its bounds, the others at the spec's values: everyone who
/// loses access at each end, largest swing first.
fn swings(decided: &Decided, params: &[Bounded], base: &[f64], total: f64) -> Vec<Swing> {
    let spec = decided.spec();
    let mut swing: Vec<Swing> = params
        .iter()
        .map(|p| {
            let index = spec
                .segments
                .iter()
                .position(|s| s.segment == p.segment)
                .unwrap_or_default();
            let own = base.get(index).copied().unwrap_or(0.0);
            let at = |v: f64| total - own + decided.lose_any_at(index, &[(p.name.clone(), v)]);
            Swing {
                param: p.name.clone(),
                low: at(p.low),
                high: at(p.high),
            }
        })
        .collect();
    crate::source::ordering::sort_by(&mut swing, |a, b| {
        (b.high - b.low).abs().total_cmp(&(a.high - a.low).abs())
    });
    swing
}

/// The `--range` JSON of DESIGN §5.
pub fn range_json(range: &Range) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let at = |values: &[(String, f64)]| -> Value {
        Value::Object(values.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
    };
    let params: Map<String, Value> = range
        .params
        .iter()
        .map(|p| (p.name.clone(), json!([p.low, p.high])))
        .collect();
    let people: Map<String, Value> = range
        .people
        .iter()
        .map(|s| {
            let lose_any = json!({
                "low": s.low.lose_any,
                "high": s.high.lose_any,
                "low_at": at(&s.low.at),
                "high_at": at(&s.high.at),
            });
            (s.segment.clone(), json!({ "lose_any": lose_any }))
        })
        .collect();
    let swing: Vec<Value> = range
        .swing
        .iter()
        .map(|s| json!({"param": s.param, "low": s.low, "high": s.high}))
        .collect();
    json!({"params": params, "people": people, "swing": swing})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::compile;
    use crate::load::spec::Adjustments;
    use crate::load::{MemoryFileSystem, load_scenario_adjusted};

    const SCENARIO: &str = r#"
as_of = 2026-11-21
population = "small.population.toml"
[[products]]
id = "fable-5"
[[products]]
id = "mythos-5"
[[directive]]
id = "letter"
issued = 2026-11-20
products = ["*"]
[[directive.rules]]
effect = "deny"
when = 'not us_person and use_case == "fix"'
"#;

    const SPEC: &str = r#"
title = "Small"
[[segments]]
segment = "customer"
people = { value = 1000, low = 500, high = 2000 }
residence = { US = 60, DE = { value = 40, low = 20, high = 80 } }
status_in_us = { citizen = 1, foreign_national = { value = 1, low = 0, high = 2 } }
nationality_in_us = { IN = 1 }
sector = { software = 1 }
products = { "fable-5" = 1, "mythos-5" = 1 }
attributes = { use_case = { fix = { value = 1, low = 0, high = 3 }, review = 3 } }
"#;

    fn files() -> MemoryFileSystem {
        let mut fs = MemoryFileSystem::default();
        fs.insert("small.population.toml", SPEC);
        fs
    }

    /// People who lose access as a full simulation of the expanded population counts them.
    fn simulated(values: &[(String, f64)]) -> f64 {
        let scenario =
            load_scenario_adjusted("s.toml", SCENARIO, &files(), &Adjustments::default());
        let spec = scenario.population_spec.clone().expect("a spec");
        let mut adjustments = Adjustments::default();
        for (name, value) in values {
            adjustments
                .set(&spec, &format!("{name}={value}"))
                .expect("settable");
        }
        let scenario = load_scenario_adjusted("s.toml", SCENARIO, &files(), &adjustments);
        let (compiled, _) = compile(&scenario);
        let totals = simulate(
            &scenario,
            &compiled.expect("compiles"),
            scenario.as_of.expect("dated"),
            |_| {},
        );
        totals.people_total().lose_any
    }

    fn decided() -> Decided {
        let scenario =
            load_scenario_adjusted("s.toml", SCENARIO, &files(), &Adjustments::default());
        let as_of = scenario.as_of.expect("dated");
        Decided::new(scenario, as_of).expect("decided")
    }

    #[test]
    fn extremes_are_the_simulated_counts_at_their_corners() {
        let range = range(&decided()).expect("range");
        assert_eq!(range.params.len(), 4);
        let customer = &range.people[0];
        assert!(
            customer.low.lose_any <= customer.value && customer.value <= customer.high.lose_any
        );
        assert_eq!(customer.value, simulated(&[]));
        assert_eq!(customer.high.lose_any, simulated(&customer.high.at));
        assert_eq!(customer.low.lose_any, simulated(&customer.low.at));
        // 2,000 people, 80 of 140 in DE, half with use_case "fix": 571.4, in two rows
        // of 285.7 (one per product) that each round up to whole people.
        assert_eq!(customer.high.lose_any, 572.0);
        assert_eq!(customer.low.lose_any, 0.0);
        let sizes: Vec<f64> = range.swing.iter().map(|s| (s.high - s.low).abs()).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        // Non-citizens in the U.S. are U.S. persons: their share moves nothing.
        let status = range
            .swing
            .iter()
            .find(|s| s.param.contains("foreign_national"));
        assert_eq!(status.map(|s| s.high - s.low), Some(0.0));
        let json = range_json(&range);
        assert_eq!(
            json["params"]["customer.size"],
            serde_json::json!([500.0, 2000.0])
        );
    }

    #[test]
    fn too_many_bounds_is_an_error() {
        let mut decided = decided();
        let segment = &mut decided.spec.segments[0];
        for key in 0..13 {
            let key = format!("k{key}");
            segment.sector.entries.push((key.clone(), 1.0));
            segment.sector.bounds.push((key, Some(0.0), Some(2.0)));
        }
        assert!(matches!(range(&decided), Err(RangeError::TooMany { .. })));
    }
}
