//! Regions as conditions: the cells whose outcomes differ the same way, covered by a few
//! conjunctions of atoms that no other cell records have satisfies. Each cell is a point
//! (one bit per atom); a conjunction grows from one point by dropping every literal it
//! can without taking in a point of another kind, the least readable words first. Cells
//! no record has are free either way, which keeps the conditions short.

use std::collections::HashMap;

use crate::model::outcome::Outcome;

use super::atoms::{Atom, Rank};
use super::{Cell, Compared, Region, atom_bits};

/// A conjunction: the atoms it fixes (`mask`) and the values it fixes them to.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cube {
    mask: u128,
    values: u128,
}

impl Cube {
    fn holds(self, point: u128) -> bool {
        (point ^ self.values) & self.mask == 0
    }
}

/// The points of one kind of difference, the heaviest first, with what they hold.
#[derive(Debug, Default)]
struct Group {
    points: Vec<(u128, f64)>,
    pairs: usize,
    weight: f64,
}

/// The regions of every difference between A and B, heaviest first; `None` when a cell
/// whose outcomes differ and one of another kind have every atom alike (they differ only
/// in the licenses held).
pub(super) fn regions(
    compared: &Compared,
    cells: &HashMap<(u32, usize), Cell>,
) -> Option<Vec<Region>> {
    let mut kind_of: HashMap<u128, Option<(Outcome, Outcome)>> = HashMap::new();
    let mut groups: HashMap<(Outcome, Outcome), Group> = HashMap::new();
    for (&(combination, product), cell) in cells {
        let point = atom_bits(compared, combination, product);
        let kind = (cell.a != cell.b).then_some((cell.a, cell.b));
        if *kind_of.entry(point).or_insert(kind) != kind {
            return None;
        }
        if let Some(kind) = kind {
            let group = groups.entry(kind).or_default();
            group.points.push((point, cell.weight));
            group.pairs += cell.pairs;
            group.weight += cell.weight;
        }
    }
    let orders = drop_orders(&compared.atoms);
    let mut regions: Vec<Region> = groups
        .into_iter()
        .map(|((a, b), mut group)| {
            crate::source::ordering::sort_by(&mut group.points, |x, y| {
                y.1.total_cmp(&x.1).then(x.0.cmp(&y.0))
            });
            let off: Vec<u128> = kind_of
                .iter()
                .filter(|(_, kind)| **kind != Some((a, b)))
                .map(|(point, _)| *point)
                .collect();
            let cubes = cover(&group.points, &off, &orders, compared.atoms.len());
            Region {
                when: text(&cubes, &compared.atoms),
                a,
                b,
                pairs: group.pairs,
                weight: group.weight,
            }
        })
        .collect();
    crate::source::ordering::sort_by(&mut regions, |x, y| {
        y.weight.total_cmp(&x.weight).then(x.when.cmp(&y.when))
    });
    Some(regions)
}

/// The orders in which atoms' literals are tried for dropping: leaves first, then
/// products, then the written ones, last written first (so the first written stay);
/// then the same with the written ones first written first, and with each written atom
/// tried last of all (so that it stays if anything can).
fn drop_orders(atoms: &[Atom]) -> Vec<Vec<usize>> {
    let tier = |i: usize| match atoms.get(i).map_or(Rank::Leaf, |a| a.rank) {
        Rank::Leaf => 0,
        Rank::Product => 1,
        Rank::Written => 2,
    };
    let mut first: Vec<usize> = (0..atoms.len()).collect();
    crate::source::ordering::sort_by_key(&mut first, |&i| (tier(i), std::cmp::Reverse(i)));
    let mut forward: Vec<usize> = (0..atoms.len()).collect();
    crate::source::ordering::sort_by_key(&mut forward, |&i| (tier(i), i));
    let mut orders = vec![first.clone(), forward];
    for written in (0..atoms.len()).filter(|&i| tier(i) == 2) {
        let mut order: Vec<usize> = first.iter().copied().filter(|&i| i != written).collect();
        order.push(written);
        orders.push(order);
    }
    orders
}

/// The widest cube around `point` that holds for no `off` point, dropping literals in
/// `order`.
fn expand(point: u128, off: &[u128], order: &[usize], all: u128) -> Cube {
    let mut cube = Cube {
        mask: all,
        values: point,
    };
    for &atom in order {
        let wider = Cube {
            mask: cube.mask & !(1u128 << atom),
            ..cube
        };
        if !off.iter().any(|&p| wider.holds(p)) {
            cube = wider;
        }
    }
    cube
}

/// A few cubes that hold for every `on` point and no `off` point: around each point not
/// yet held, of the cubes the drop orders give, the one holding the most weight, then
/// the one with the fewest literals.
fn cover(on: &[(u128, f64)], off: &[u128], orders: &[Vec<usize>], atoms: usize) -> Vec<Cube> {
    let all = if atoms >= 128 {
        u128::MAX
    } else {
        (1u128 << atoms) - 1
    };
    let held = |cube: &Cube| -> f64 {
        on.iter()
            .filter(|(p, _)| cube.holds(*p))
            .map(|(_, w)| w)
            .sum()
    };
    let mut cubes: Vec<Cube> = Vec::new();
    for &(point, _) in on {
        if cubes.iter().any(|c| c.holds(point)) {
            continue;
        }
        let best = orders
            .iter()
            .map(|order| expand(point, off, order, all))
            .max_by(|x, y| {
                held(x)
                    .total_cmp(&held(y))
                    .then(y.mask.count_ones().cmp(&x.mask.count_ones()))
            });
        cubes.extend(best);
    }
    // A cube whose points the others all hold is left out.
    let mut index = cubes.len();
    while index > 0 {
        index -= 1;
        let others: Vec<Cube> = cubes
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, c)| *c)
            .collect();
        if on.iter().all(|(p, _)| others.iter().any(|c| c.holds(*p))) {
            cubes.remove(index);
        }
    }
    cubes
}

/// The cubes as one condition: each a conjunction of literals in the atoms' order, the
/// products last.
fn text(cubes: &[Cube], atoms: &[Atom]) -> String {
    let mut order: Vec<usize> = (0..atoms.len()).collect();
    crate::source::ordering::sort_by_key(&mut order, |&i| {
        (atoms.get(i).is_some_and(|a| a.rank == Rank::Product), i)
    });
    let terms: Vec<(usize, String)> = cubes
        .iter()
        .map(|cube| {
            let literals: Vec<&str> = order
                .iter()
                .filter(|&&i| cube.mask >> i & 1 == 1)
                .filter_map(|&i| {
                    let atom = atoms.get(i)?;
                    Some(if cube.values >> i & 1 == 1 {
                        atom.yes.as_str()
                    } else {
                        atom.no.as_str()
                    })
                })
                .collect();
            (literals.len(), literals.join(" and "))
        })
        .collect();
    match terms.as_slice() {
        [] => "false".into(),
        [(0, _)] => "true".into(),
        [(_, one)] => one.clone(),
        _ => terms
            .iter()
            .map(|(n, t)| if *n > 1 { format!("({t})") } else { t.clone() })
            .collect::<Vec<_>>()
            .join(" or "),
    }
}
