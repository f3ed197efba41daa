//! The views: function components that read the store from its context and dispatch
//! actions. They hold only view state of their own (a search box, the explorer's page);
//! what they compute that is not about the page comes from the engine.

pub mod analyst;
pub mod baseline;
pub mod basis;
pub mod breakdowns;
pub mod builder;
pub mod chart_export;
pub mod charts;
pub mod compare;
pub mod difference;
pub mod editor;
pub mod embed;
pub mod explorer;
pub mod format;
pub mod highlight;
pub mod import;
pub mod map;
pub mod picker;
pub mod population;
pub mod response;
pub mod results;
pub mod share;
pub mod story;
pub mod story_editor;

use std::rc::Rc;

use yew::html::IntoPropValue;

use crate::app::state::{Figures, Results};

/// A chart is given the results as they are held (`results={results.clone()}`) and
/// compares them as figures.
impl IntoPropValue<Figures> for Rc<Results> {
    fn into_prop_value(self) -> Figures {
        Figures(self)
    }
}
