//! `brief` renders a briefing (announcements, speakers, topics, a timeline and key figures
//! written as Markdown and YAML) through Tera templates into a static site.
//!
//! A build is a sequence of phases, each a function of its own: [`content`] reads and checks the
//! content, [`render`](mod@render) turns it into pages and [`outputs`] makes the machine outputs, [`links`]
//! checks every link, and [`output`] writes the result into place in one step. The binary composes
//! them; the library never prints. `docs/architecture.md` describes who owns what.

pub mod build;
pub mod chart;
pub mod content;
pub mod date;
pub mod deploy;
pub mod deps;
pub mod dev;
pub mod diagnostic;
pub mod editor;
pub mod format;
pub mod html_policy;
pub mod html_scan;
pub mod images;
pub mod links;
pub mod markdown;
pub mod messages;
pub mod model;
pub mod output;
pub mod outputs;
pub mod paths;
pub mod publish;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod source;
pub mod starter;
pub mod template_links;
pub mod templates;
pub mod yaml;

pub use build::{build, check, Error, Options, Report};
pub use content::{load, Settings};
pub use render::render;
