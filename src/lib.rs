//! `brief` renders a briefing (announcements, speakers, topics, a timeline and key figures
//! written as Markdown and YAML) through Tera templates into a static site.
//!
//! A build is a sequence of phases, each a function of its own: [`load`] reads and checks the
//! content, [`render`] turns it into pages, links are checked, and [`output`] writes the result
//! into place in one step. The binary composes them; the library never prints.

pub mod build;
pub mod chart;
pub mod date;
pub mod deps;
pub mod dev;
pub mod diagnostic;
pub mod html_scan;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod source;
pub mod starter;
pub mod template_links;
pub mod templates;
pub mod yaml;

pub use build::{build, check, Error, Options, Report};
pub use load::{load, Settings};
pub use render::render;
