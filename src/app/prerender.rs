//! The page's first screen drawn to HTML when the app is built, so that a reader who opens
//! the default scenario sees its results while the WebAssembly is still on its way. The
//! same components draw it, natively, over the state the app opens with; the app replaces
//! it when it starts (`App`'s first effect). Nothing here runs in the browser.

use yew::prelude::*;

use super::{PRERENDERED as ELEMENT, full_app, hooks::Store, state::State};

/// What the element says while the app starts, and if it cannot.
const STATUS: &str = r#"<p class="prerendered-status" role="status"><span class="starting">Starting the simulator… These are the default scenario's results, worked out when this page was built.</span><span class="failed">The simulator could not start in this browser, so these results cannot be changed. They are the default scenario's, worked out when this page was built.</span></p>"#;

/// Why the first screen could not be put into the page.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PrerenderError {
    /// The page has no `<body>` to put it in.
    #[error("the page has no `<body>` to put the first screen in")]
    NoBody,
    /// The page has one already (the hook ran twice).
    #[error("the page already holds a first screen (`id=\"{ELEMENT}\"`)")]
    AlreadyThere,
}

/// The default scenario's first screen, as the app draws it before its first paint.
#[component]
fn FirstScreen() -> Html {
    let store: Store = use_reducer(State::initial);
    html! {
        <ContextProvider<Store> context={store}>
            { full_app() }
        </ContextProvider<Store>>
    }
}

/// Draws the first screen to HTML.
pub fn first_screen() -> std::io::Result<String> {
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let local = tokio::task::LocalSet::new();
    Ok(local.block_on(&runtime, async {
        yew::LocalServerRenderer::<FirstScreen>::new()
            .hydratable(false)
            .render()
            .await
    }))
}

/// `page` with `screen` put first in its body: inert (the controls work once the app has
/// started), busy, and without the test hooks, which belong to the app's own elements.
pub fn into_page(page: &str, screen: &str) -> Result<String, PrerenderError> {
    if page.contains(&format!("id=\"{ELEMENT}\"")) {
        return Err(PrerenderError::AlreadyThere);
    }
    let body = page.find("<body>").ok_or(PrerenderError::NoBody)? + "<body>".len();
    let (head, rest) = page.split_at(body);
    let screen = without_test_hooks(screen);
    Ok(format!(
        "{head}\n    <div id=\"{ELEMENT}\" inert aria-busy=\"true\">{screen}{STATUS}</div>{rest}"
    ))
}

/// `html` without the `data-testid` attributes of its tags, and with the headline's element
/// timing named apart from the app's own (`first-results-built`). Text is left as it is
/// (the renderer escapes `<` in text, and quotes attribute values with `"`).
fn without_test_hooks(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let (text, tag_on) = rest.split_at(open);
        out.push_str(text);
        let end = tag_end(tag_on);
        let (tag, after) = tag_on.split_at(end);
        out.push_str(&tag_without_test_hook(tag));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Where the tag at the start of `html` ends: after its `>`, outside quoted values.
fn tag_end(html: &str) -> usize {
    let mut quoted = false;
    for (at, byte) in html.bytes().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return at + 1,
            _ => {}
        }
    }
    html.len()
}

/// One tag without its `data-testid`, its `elementtiming` renamed.
fn tag_without_test_hook(tag: &str) -> String {
    const HOOK: &str = " data-testid=\"";
    let tag = match tag.find(HOOK) {
        Some(start) => {
            let value = &tag[start + HOOK.len()..];
            let end = value.find('"').map_or(value.len(), |end| end + 1);
            format!("{}{}", &tag[..start], &value[end..])
        }
        None => tag.to_owned(),
    };
    tag.replace(
        "elementtiming=\"first-results\"",
        "elementtiming=\"first-results-built\"",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str =
        "<!doctype html>\n<html><head></head><body>\n<noscript>x</noscript>\n</body></html>";

    #[test]
    fn the_first_screen_shows_the_default_scenarios_totals_as_the_app_works_them_out() {
        let state = State::initial();
        let Some(results) = state.results else {
            unreachable!("the default scenario has results");
        };
        let html = first_screen().unwrap_or_default();
        assert!(
            html.contains(&format!("<h2>{}</h2>", results.title)),
            "{html}"
        );
        let headline = super::super::components::results::headline(&results);
        assert!(
            html.contains(&format!(">{headline}</p>")),
            "no `{headline}` in {html}"
        );
        assert!(html.contains("elementtiming=\"first-results\""));
        // What the app draws after its first paint is not in the first screen.
        assert!(!html.contains("data-testid=\"explorer\""));
        assert!(!html.contains("data-testid=\"story-editor\""));
    }

    #[test]
    fn the_first_screen_goes_first_in_the_body_without_test_hooks() {
        let screen = r#"<p class="headline" data-testid="headline" elementtiming="first-results">9 lose access</p><a data-testid="x" href="?a">a</a>"#;
        let page = into_page(PAGE, screen);
        let expected = format!(
            "<!doctype html>\n<html><head></head><body>\n    <div id=\"prerendered\" inert aria-busy=\"true\"><p class=\"headline\" elementtiming=\"first-results-built\">9 lose access</p><a href=\"?a\">a</a>{STATUS}</div>\n<noscript>x</noscript>\n</body></html>"
        );
        assert_eq!(page, Ok(expected));
    }

    #[test]
    fn text_that_reads_like_a_test_hook_is_left_as_written() {
        let screen = r#"<textarea data-testid="editor">title = " data-testid=" &lt;b data-testid="x"&gt; elementtiming="first-results"</textarea><p title="a > b" data-testid="p">x</p>"#;
        assert_eq!(
            without_test_hooks(screen),
            r#"<textarea>title = " data-testid=" &lt;b data-testid="x"&gt; elementtiming="first-results"</textarea><p title="a > b">x</p>"#
        );
    }

    #[test]
    fn a_page_without_a_body_or_with_a_first_screen_already_is_refused() {
        assert_eq!(into_page("<html></html>", "x"), Err(PrerenderError::NoBody));
        let once = into_page(PAGE, "x").unwrap_or_default();
        assert_eq!(into_page(&once, "x"), Err(PrerenderError::AlreadyThere));
        assert_eq!(
            PrerenderError::AlreadyThere.to_string(),
            "the page already holds a first screen (`id=\"prerendered\"`)"
        );
    }
}
