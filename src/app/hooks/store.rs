//! The app-wide store: one reducer over [`State`], made by the root component and shared
//! with every view through a context, as in yew's `function_todomvc` example.

use yew::prelude::*;

use super::persist;
use crate::app::state::route::{self, EmbedConfig, StoryConfig};

use crate::app::state::{Snapshot, State};
use crate::engine::presets::presets;

/// The store shared by every component.
pub type Store = UseReducerHandle<State>;

/// The app-wide store, from the context the root component provides (`None` outside it).
#[hook]
pub fn use_store() -> Option<Store> {
    use_context::<Store>()
}

/// The store as the page opens: a link or the autosave, a story's step, or an embed's
/// shipped scenario; and the record whose "why" panel a link opens.
#[hook]
pub fn use_opening_store(embed: Option<EmbedConfig>, story: Option<StoryConfig>) -> Store {
    use_reducer(move || opening_state(embed, story))
}

/// The first state: what the page's address and storage ask for.
fn opening_state(embed: Option<EmbedConfig>, story_config: Option<StoryConfig>) -> State {
    let standalone = embed.is_none() && story_config.is_none();
    let persist::Opening {
        mut document,
        why,
        notice,
    } = persist::initial(standalone);
    // A story opens its step's scenario.
    if let Some(config) = &story_config
        && let Ok(found) = route::open_story(config)
    {
        let step = config.step.min(found.story.steps.len());
        document = route::step_document(&found.path, &found.story, step);
    }
    // An embed may name a shipped scenario instead of carrying one.
    if document.is_none()
        && let Some(path) = embed.and_then(|e| e.preset)
        && let Some(preset) = presets().into_iter().find(|p| p.path == path)
    {
        document = Some(Snapshot {
            path: path.clone(),
            text: preset.text.to_owned(),
            ..Snapshot::default()
        });
    }
    let state = State::initial_with(document);
    // A link may open a record's "why" panel.
    let selected = why.and_then(|id| {
        state
            .prepared
            .as_ref()
            .and_then(|p| p.0.scenario.population.ids().iter().position(|r| r == id))
    });
    State {
        notice,
        selected,
        ..state
    }
}
