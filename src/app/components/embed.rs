//! The embed view for iframes: the headline, the charts the author chose and at most a few
//! reader controls, read from the page's query (`?embed=matrix,units&controls=response`).
//! The scenario comes from the link in the fragment, or `preset=` names a shipped one.

use yew::prelude::*;

use super::charts::{LawMatrix, Timeline, UnitChart};
use super::map::WorldMap;
use super::picker::AsOfInput;
use super::response::ResponsePicker;
use crate::app::hooks::use_store;
pub use crate::app::state::route::{EmbedConfig, embed_config as config};

/// Properties of the embed view.
#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    /// What to show.
    pub config: EmbedConfig,
}

/// The embed view.
#[component]
pub fn Embed(props: &EmbedProps) -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(results) = &store.results else {
        return html! { <p class="empty">{ "This scenario has errors; open it in Cutoff to see them." }</p> };
    };
    html! {
        <main class="embed" data-testid="embed">
            <h1 class="embed-title">{ &results.title }</h1>
            if !props.config.controls.is_empty() {
                <div class="embed-controls">
                    { for props.config.controls.iter().map(|c| match c.as_str() {
                        "response" => html! { <ResponsePicker /> },
                        _ => html! { <AsOfInput /> },
                    }) }
                </div>
            }
            { for props.config.charts.iter().map(|chart| match chart.as_str() {
                "headline" => html! {
                    <p class="headline" data-testid="headline">
                        { super::results::headline(results) }
                    </p>
                },
                "matrix" => html! { <LawMatrix results={results.clone()} /> },
                "units" => html! { <UnitChart results={results.clone()} /> },
                "map" => html! { <WorldMap results={results.clone()} /> },
                _ => html! { <Timeline results={results.clone()} /> },
            }) }
            <p class="embed-credit">
                { "Made with " }
                <a href={crate::app::hooks::persist::link(&store.snapshot())} target="_blank" rel="noopener">{ "Cutoff" }</a>
                { format!(" — as of {}. Figures as the scenario states; sizes may be illustrative.", results.as_of) }
            </p>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_query() {
        assert_eq!(config(""), None);
        assert_eq!(config("?x=1"), None);
        let c = config(
            "?embed=matrix,units,bogus&controls=response,as-of,x&preset=friday-letter%2Fgeofence.scenario.toml",
        );
        assert_eq!(
            c,
            Some(EmbedConfig {
                charts: vec!["matrix".into(), "units".into()],
                controls: vec!["response".into(), "as-of".into()],
                preset: Some("friday-letter/geofence.scenario.toml".into()),
            })
        );
        assert_eq!(
            config("?embed=").map(|c| c.charts),
            Some(vec!["headline".into(), "matrix".into()])
        );
    }
}
