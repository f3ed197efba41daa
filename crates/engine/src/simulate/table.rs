//! The decision table: the verdict for each (class combination, product) cell, worked out
//! the first time a record has it and read from the table after that.

use crate::compile::classes::ClassMap;

use crate::compile::CompiledScenario;
use crate::simulate::{InForce, Verdict, verdict};

/// The decisions of one simulation day, filled in as class combinations turn up.
#[derive(Clone, Debug)]
pub struct DecisionTable {
    in_force: InForce,
    products: usize,
    /// For each (combination, product) cell: 0 while undecided, else its verdict's index + 1.
    cells: Vec<u32>,
    /// The verdicts made, with the product each is for.
    verdicts: Vec<(Verdict, usize)>,
}

impl DecisionTable {
    /// An empty table for the classes of one compiled scenario, with the directives in
    /// force that day.
    pub fn new(classes: &ClassMap, in_force: InForce) -> Self {
        DecisionTable {
            in_force,
            products: classes.products,
            cells: vec![0; classes.combinations * classes.products],
            verdicts: Vec::new(),
        }
    }

    /// The verdict for `combination` and `product` with its index, deciding it if new.
    #[inline]
    pub fn decide(
        &mut self,
        classes: &ClassMap,
        compiled: &CompiledScenario,
        combination: u32,
        product: usize,
    ) -> Option<(usize, Verdict)> {
        let cell = (combination as usize)
            .checked_mul(self.products)?
            .checked_add(product)?;
        let index = match self.cells.get(cell) {
            Some(&0) => self.fill(classes, compiled, cell, combination, product)?,
            Some(&known) => known as usize - 1,
            None => return None,
        };
        self.verdicts.get(index).map(|(v, _)| (index, *v))
    }

    /// Decides a cell the first time a record has its combination.
    #[cold]
    #[inline(never)]
    fn fill(
        &mut self,
        classes: &ClassMap,
        compiled: &CompiledScenario,
        cell: usize,
        combination: u32,
        product: usize,
    ) -> Option<usize> {
        let person = classes.representative(combination);
        let made = verdict(compiled, &self.in_force, &person, product);
        self.verdicts.push((made, product));
        let slot = self.cells.get_mut(cell)?;
        *slot = u32::try_from(self.verdicts.len()).ok()?;
        Some(self.verdicts.len() - 1)
    }

    /// The verdicts made so far, each with its product.
    pub fn verdicts(&self) -> &[(Verdict, usize)] {
        &self.verdicts
    }
}
