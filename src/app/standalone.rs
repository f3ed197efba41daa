//! A story as one HTML file that works offline from disk: the app's script, its wasm and
//! its styles written into the page, and the story (as its link carries it) with them. A
//! reader opens the file with no server and no network; the story checks its numbers as
//! it does anywhere else.

use base64::Engine;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The id of the element that carries the story in a standalone page; the app opens the
/// story it holds (`story=1.…`, as in a story link) instead of reading the address.
pub const STORY_ELEMENT: &str = "cutoff-story";

/// The built app's own files, as the page loaded them.
pub struct AppFiles {
    /// The JavaScript that loads the wasm (wasm-bindgen's module).
    pub script: String,
    /// The app's wasm.
    pub wasm: Vec<u8>,
    /// The styles.
    pub styles: String,
}

/// Text that can stand inside a `<script>` or `<style>` element: nothing in it can close
/// the element.
fn inert(text: &str) -> String {
    text.replace("</", "<\\/")
}

/// The standalone page: `files` written in, and the story whose link fragment is
/// `fragment` (`story=1.…`), titled `title`.
pub fn standalone_page(files: &AppFiles, title: &str, fragment: &str) -> String {
    let title = super::hooks::persist::escape_html(title);
    let wasm = base64::engine::general_purpose::STANDARD.encode(&files.wasm);
    // The module is imported from a blob URL: a page opened from disk cannot import files.
    let script = serde_json::to_string(&files.script).unwrap_or_default();
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title} — Cutoff</title>
<link rel="icon" href="data:," />
<style>{styles}</style>
<script type="text/plain" id="{STORY_ELEMENT}">{fragment}</script>
</head>
<body>
<noscript>Cutoff needs JavaScript and WebAssembly to run its simulations in your browser.</noscript>
<script type="module">
const wasm = Uint8Array.from(atob("{wasm}"), (c) => c.charCodeAt(0));
const source = URL.createObjectURL(new Blob([{script}], {{ type: "text/javascript" }}));
const {{ default: init }} = await import(source);
await init({{ module_or_path: wasm }});
</script>
</body>
</html>
"#,
        styles = inert(&files.styles),
        fragment = inert(fragment),
        script = inert(&script),
    )
}

/// One of the app's own files, fetched from where the page was loaded (the browser
/// usually has it cached). Nothing is sent: it is a plain request for a static file.
async fn own_file(name: &str) -> Result<web_sys::Response, String> {
    let promise = gloo::utils::window().fetch_with_str(name);
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .and_then(|r| r.dyn_into())
        .map_err(|_| format!("`{name}` could not be read"))?;
    if !response.ok() {
        return Err(format!(
            "`{name}` could not be read ({})",
            response.status()
        ));
    }
    Ok(response)
}

/// The text of one of the app's own files.
async fn own_text(name: &str) -> Result<String, String> {
    let response = own_file(name).await?;
    let text = response
        .text()
        .map_err(|_| format!("`{name}` is not text"))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("`{name}` is not text"))
}

/// The app's own files, read again from where the page was loaded.
pub async fn app_files() -> Result<AppFiles, String> {
    let wasm = own_file("./cutoff-web_bg.wasm").await?;
    let buffer = wasm
        .array_buffer()
        .map_err(|_| "the app's wasm could not be read".to_owned())?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|_| "the app's wasm could not be read".to_owned())?;
    Ok(AppFiles {
        script: own_text("./cutoff-web.js").await?,
        wasm: js_sys::Uint8Array::new(&buffer).to_vec(),
        styles: own_text("./style.css").await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_holds_the_app_and_the_story_and_nothing_closes_early() {
        let files = AppFiles {
            script: "export default function init() { return '</script>'; }".into(),
            wasm: vec![0, 97, 115, 109],
            styles: "body { margin: 0 }".into(),
        };
        let page = standalone_page(&files, "Two <readings>", "story=1.abc");
        assert!(page.contains("<title>Two &lt;readings&gt; — Cutoff</title>"));
        assert!(
            page.contains(r#"<script type="text/plain" id="cutoff-story">story=1.abc</script>"#)
        );
        assert!(page.contains(r#"atob("AGFzbQ==")"#));
        assert!(page.contains("<style>body { margin: 0 }</style>"));
        // The script's own `</script>` is written so that it cannot end the page's.
        assert_eq!(page.matches("</script>").count(), 2);
        assert!(page.contains(r#""export default function init() { return '<\/script>'; }""#));
    }
}
