//! Where the document lives between visits: the link in the URL fragment, the autosave and
//! the named saves in `localStorage`, and downloads; and the hook that autosaves. Every
//! failure becomes a message; the app keeps working in memory.

use std::collections::BTreeMap;

use wasm_bindgen::JsCast;

use yew::prelude::*;

use super::Store;
use crate::app::state::{Action, Snapshot, State};
use crate::engine::edit::share::{self, SharedScenario};
use crate::engine::model::date::Date;
use crate::engine::source::diagnostic::Problem;

const AUTOSAVE: &str = "cutoff.autosave";
const SAVED: &str = "cutoff.saved";

fn to_shared(snapshot: &Snapshot) -> SharedScenario {
    SharedScenario {
        why: None,
        path: snapshot.path.clone(),
        text: snapshot.text.clone(),
        as_of: snapshot.as_of.map(|d| d.to_string()),
        adjustments: snapshot.adjustments.clone(),
        contract: share::CONTRACT,
    }
}

/// The document a link, autosave or named save holds, as this version reads it (one made
/// under contract 1 keeps its old reading).
fn from_shared(shared: SharedScenario) -> Snapshot {
    let shared = shared.upgraded();
    Snapshot {
        path: shared.path,
        text: shared.text,
        as_of: shared.as_of.as_deref().and_then(Date::parse),
        adjustments: shared.adjustments,
    }
}

/// What a page opens with: the document, the record whose "why" panel a link opens, and a
/// message when a link could not be opened.
pub struct Opening {
    /// The document, if there is one to restore.
    pub document: Option<Snapshot>,
    /// A record id whose "why" panel to open.
    pub why: Option<String>,
    /// A message for the reader.
    pub notice: Option<String>,
}

/// The document to open at start: a link in the URL fragment first, then (unless
/// `use_autosave` is false, as in an embed) the autosave. A link that cannot be opened
/// gives a message instead.
pub fn initial(use_autosave: bool) -> Opening {
    let (document, why, notice) = initial_parts(use_autosave);
    Opening {
        document,
        why,
        notice,
    }
}

fn initial_parts(use_autosave: bool) -> (Option<Snapshot>, Option<String>, Option<String>) {
    let autosaved = || if use_autosave { autosaved() } else { None };
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    // A story link's fragment is the story's, read by the story view.
    if hash.len() > 1 && !hash.starts_with("#story=") {
        clear_fragment();
        return match share::decode(&hash) {
            Ok(shared) => {
                let why = shared.why.clone();
                (Some(from_shared(shared)), why, None)
            }
            Err(error) => {
                let help = error.help().map(|h| format!(" ({h})")).unwrap_or_default();
                let message = format!(
                    "The link could not be opened: {error}{help}. Showing another scenario instead."
                );
                (autosaved(), None, Some(message))
            }
        };
    }
    (autosaved(), None, None)
}

/// Why something could not be kept in this browser.
#[derive(Debug, thiserror::Error)]
enum KeepError {
    /// The browser does not let the page use its storage (blocked for this site).
    #[error("this browser does not let the page keep anything")]
    Unavailable,
    /// The browser refused to store it, as when its storage is full.
    #[error("the browser refused to keep it, perhaps because its storage is full")]
    Refused,
}

/// This browser's local storage, if the page may use it: a browser that blocks storage
/// for the site throws when the page asks for it. Natively — when the first screen is
/// drawn as the app is built — there is none.
fn local_storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

/// What this browser keeps under `key`, if it reads as a `T`.
fn stored<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let text = local_storage()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

/// Keeps `value` under `key`, as JSON.
fn keep<T: serde::Serialize + ?Sized>(key: &str, value: &T) -> Result<(), KeepError> {
    let storage = local_storage().ok_or(KeepError::Unavailable)?;
    let text = serde_json::to_string(value).map_err(|_| KeepError::Refused)?;
    storage.set_item(key, &text).map_err(|_| KeepError::Refused)
}

/// Forgets what is kept under `key`, if anything is and the page may.
fn forget(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// The autosave as it is kept, read back without opening it (the crash notice offers it).
pub(crate) fn autosaved_scenario() -> Option<SharedScenario> {
    stored(AUTOSAVE)
}

fn autosaved() -> Option<Snapshot> {
    autosaved_scenario().map(from_shared)
}

/// Keeps the document for the next visit. The default document is kept as no autosave at
/// all, which opens it too, so that the page drawn when the app was built (`prerender`)
/// can show while the app starts.
pub fn autosave(snapshot: &Snapshot) -> Result<(), String> {
    if *snapshot == State::default_document() {
        forget(AUTOSAVE);
        return Ok(());
    }
    keep(AUTOSAVE, &to_shared(snapshot)).map_err(|e| format!("Your work could not be saved in this browser ({e}); it is kept in this page only. Export it to keep it."))
}

/// Autosaves every document that has been simulated, unless `embedded` (an embed or a
/// story must not overwrite the reader's own work on this site). A failure becomes the
/// notice, unless one is showing.
#[hook]
pub fn use_autosave(store: &Store, embedded: bool) {
    let store = store.clone();
    use_effect_with(store.committed.clone(), move |snapshot| {
        if embedded {
            return;
        }
        if let Err(message) = autosave(snapshot)
            && store.notice.is_none()
        {
            store.dispatch(Action::Notice(Some(message)));
        }
    });
}

/// The link to the full app with the document in its fragment.
pub fn link(snapshot: &Snapshot) -> String {
    link_with_query(snapshot, "", None)
}

/// The link to the full app with the document and the open "why" panel.
pub fn link_with_view(snapshot: &Snapshot, why: Option<String>) -> String {
    link_with_query(snapshot, "", why)
}

/// The link to this page with `query` (such as `?embed=matrix`), the document and the view.
pub fn link_with_query(snapshot: &Snapshot, query: &str, why: Option<String>) -> String {
    let location = gloo::utils::window().location();
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    let shared = SharedScenario {
        why,
        ..to_shared(snapshot)
    };
    format!("{base}{query}#{}", share::encode(&shared))
}

/// The HTML that embeds the document's headline, matrix and unit chart in another page.
pub fn embed_code(snapshot: &Snapshot, title: &str) -> String {
    let src = link_with_query(
        snapshot,
        "?embed=headline,matrix,units&controls=response",
        None,
    );
    frame_code(&src, title)
}

/// The script an embed code carries: it sets each Cutoff frame's height to the height the
/// framed page reports (`hooks::use_frame_height`), so the frame fits what it shows.
const FRAME_SCRIPT: &str = "<script>addEventListener(\"message\",function(e){if(!e.data||e.data.cutoff!==\"height\")return;document.querySelectorAll(\"iframe[data-cutoff]\").forEach(function(f){if(f.contentWindow===e.source)f.style.height=e.data.height+\"px\"})})</script>";

/// `text` safe inside HTML, as element content or a quoted attribute.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The HTML that shows `src` in another page: a frame named `title`, and the script that
/// sizes it to fit.
pub fn frame_code(src: &str, title: &str) -> String {
    let title = escape_html(title);
    format!(
        "<iframe data-cutoff src=\"{src}\" title=\"Cutoff: {title}\" width=\"100%\" height=\"720\" style=\"border:0\" loading=\"lazy\"></iframe>\n{FRAME_SCRIPT}"
    )
}

/// Removes the fragment from the address bar without reloading.
fn clear_fragment() {
    let window = gloo::utils::window();
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The named saves.
pub fn saved() -> BTreeMap<String, SharedScenario> {
    stored(SAVED).unwrap_or_default()
}

/// Saves the document under a name.
pub fn save_named(name: &str, snapshot: &Snapshot) -> Result<(), String> {
    let mut all = saved();
    all.insert(name.to_owned(), to_shared(snapshot));
    keep(SAVED, &all)
        .map_err(|e| format!("`{name}` could not be saved ({e}). Export it to keep it."))
}

/// Deletes a named save.
pub fn delete_named(name: &str) {
    let mut all = saved();
    all.remove(name);
    let _ = keep(SAVED, &all);
}

/// A named save as a document.
pub fn open_named(name: &str) -> Option<Snapshot> {
    saved().remove(name).map(from_shared)
}

/// Offers `content` as a file download.
pub fn download(name: &str, mime: &str, content: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "could not make the file")?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "could not make the file")?;
    let document = gloo::utils::document();
    let anchor = document
        .create_element("a")
        .map_err(|_| "could not make the link")?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "could not make the link")?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

const STORY_DRAFT: &str = "cutoff.story-draft";

/// The story being written in the editor, as last autosaved (its file's text).
pub fn story_draft() -> Option<String> {
    stored::<String>(STORY_DRAFT)
}

/// Keeps the story being written for the next visit (`None`: there is none).
pub fn save_story_draft(text: Option<&str>) -> Result<(), String> {
    match text {
        Some(text) => keep(STORY_DRAFT, text).map_err(|e| {
            format!("The story could not be saved in this browser ({e}); export it to keep it.")
        }),
        None => {
            forget(STORY_DRAFT);
            Ok(())
        }
    }
}

/// The link that carries a whole story file and opens it in the story player.
pub fn story_link(text: &str) -> String {
    let location = gloo::utils::window().location();
    format!(
        "{}{}?story=shared#{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        crate::engine::edit::story::encode_story_link(text)
    )
}
