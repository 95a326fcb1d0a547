//! `brief serve`.

use std::net::IpAddr;

use clap::Args;

use super::SiteArgs;

/// Arguments of `brief serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The address to listen on; anything but a loopback address exposes the site to the network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, value_name = "N", default_value_t = 1111)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Make the full-text search index in the background once the site is served, and again
    /// after saves, to try the search page (it takes longer than the rest of a build).
    #[arg(long)]
    search: bool,
}

impl ServeArgs {
    pub fn run(self) -> Result<(), brief::Error> {
        crate::serve::run(crate::serve::Config {
            root: self.site.root.clone(),
            bind: self.bind,
            port: self.port,
            open: self.open,
            settings: self.site.settings(None)?,
            search: self.search,
        })
    }
}
