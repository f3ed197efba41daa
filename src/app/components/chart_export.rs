//! Saving a chart as SVG or PNG: the chart's own SVG with the styles it needs written in,
//! or drawn onto a canvas at twice its size. Everything happens in the page.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlCanvasElement, HtmlImageElement};
use yew::prelude::*;

use crate::app::hooks::persist::download;

/// The styles a chart needs outside the page: outcome colours, map strokes and text.
const STYLE: &str = ".mark.denied{fill:#d55e00}.mark.license_required{fill:#e69f00}.mark.collateral{fill:#cc79a7}\
.mark.leaked{fill:#56b4e9}.mark.exempt{fill:#009e73}.mark.retains{fill:#999999}\
text{font:12px sans-serif;fill:#1b1f24}path{stroke:#fff;stroke-width:.5}\
.bar rect{fill:#c9d6e3}.bar.in-force rect{fill:#0b5fa5}.bar.in-force text{fill:#fff}\
.as-of-line{stroke:#d55e00;stroke-width:2;stroke-dasharray:4 3}.as-of-label{fill:#d55e00}";

/// The SVG markup of an element, standalone.
fn standalone_svg(svg: &Element) -> String {
    let clone = svg
        .clone_node_with_deep(true)
        .ok()
        .and_then(|n| n.dyn_into::<Element>().ok());
    let Some(clone) = clone else {
        return String::new();
    };
    let _ = clone.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let (width, height) = svg_size(svg);
    let _ = clone.set_attribute("width", &width.to_string());
    let _ = clone.set_attribute("height", &height.to_string());
    let style = gloo::utils::document()
        .create_element_ns(Some("http://www.w3.org/2000/svg"), "style")
        .ok();
    if let Some(style) = style {
        style.set_text_content(Some(STYLE));
        let _ = clone.prepend_with_node_1(&style);
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        clone.outer_html()
    )
}

fn svg_size(svg: &Element) -> (f64, f64) {
    let view = svg.get_attribute("viewBox").unwrap_or_default();
    let parts: Vec<f64> = view
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    match parts.as_slice() {
        [_, _, w, h] => (*w, *h),
        _ => (800.0, 400.0),
    }
}

/// Saves the chart as SVG.
pub fn save_svg(svg: &Element, name: &str) -> Result<(), String> {
    download(
        &format!("{name}.svg"),
        "image/svg+xml",
        &standalone_svg(svg),
    )
}

/// Saves the chart as PNG at twice its size, once the browser has drawn it.
pub fn save_png(svg: &Element, name: &str) -> Result<(), String> {
    let markup = standalone_svg(svg);
    let (width, height) = svg_size(svg);
    let source = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&markup)
    );
    let image = HtmlImageElement::new().map_err(|_| "no image support")?;
    let name = format!("{name}.png");
    let drawn = image.clone();
    let onload = Closure::once(move || {
        let canvas = gloo::utils::document()
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok());
        let Some(canvas) = canvas else { return };
        canvas.set_width((width * 2.0) as u32);
        canvas.set_height((height * 2.0) as u32);
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        let Some(context) = context else { return };
        context.set_fill_style_str("#ffffff");
        context.fill_rect(0.0, 0.0, width * 2.0, height * 2.0);
        let _ = context.draw_image_with_html_image_element_and_dw_and_dh(
            &drawn,
            0.0,
            0.0,
            width * 2.0,
            height * 2.0,
        );
        if let Ok(url) = canvas.to_data_url_with_type("image/png") {
            let anchor = gloo::utils::document()
                .create_element("a")
                .ok()
                .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
            if let Some(anchor) = anchor {
                anchor.set_href(&url);
                anchor.set_download(&name);
                anchor.click();
            }
        }
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    image.set_src(&source);
    Ok(())
}

/// Properties of the export buttons.
#[derive(Properties, PartialEq)]
pub struct ExportButtonsProps {
    /// The chart's SVG element.
    pub target: NodeRef,
    /// The file name without extension.
    pub name: AttrValue,
}

/// "SVG" and "PNG" buttons for one chart.
#[component]
pub fn ExportButtons(props: &ExportButtonsProps) -> Html {
    let save = |png: bool| {
        let (target, name) = (props.target.clone(), props.name.clone());
        Callback::from(move |_| {
            if let Some(svg) = target.cast::<Element>() {
                let _ = if png {
                    save_png(&svg, &name)
                } else {
                    save_svg(&svg, &name)
                };
            }
        })
    };
    html! {
        <span class="chart-export">
            <button type="button" data-testid={format!("export-svg-{}", props.name)} onclick={save(false)}>{ "SVG" }</button>
            <button type="button" data-testid={format!("export-png-{}", props.name)} onclick={save(true)}>{ "PNG" }</button>
        </span>
    }
}
