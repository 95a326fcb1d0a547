//! `brief check`.

use clap::Args;

use super::{count, SiteArgs};

/// Arguments of `brief check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

impl CheckArgs {
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        let options = brief::Options {
            root: self.site.root.clone(),
            out: None,
            settings: brief::Settings { exits_after: true, ..self.site.settings(None)? },
            search: false,
        };
        let report = brief::check(&options)?;
        println!("Checked {}: no problems found in {} ms", count(report.pages, "page"), report.elapsed.as_millis());
        super::print_embargoes(&report.embargoes);
        for c in &report.coverage {
            println!(
                "{} ({}): {} of {} announcements, speakers and pages translated",
                c.name, c.code, c.translated, c.total
            );
            const SHOWN: usize = 10;
            for file in c.untranslated.iter().take(SHOWN) {
                println!("  not translated yet: {}", file.display());
            }
            if c.untranslated.len() > SHOWN {
                println!("  and {} more", c.untranslated.len() - SHOWN);
            }
            match &c.messages_missing {
                None => println!("  no messages/{}.ftl: the templates' words are in the default language", c.code),
                Some(keys) if !keys.is_empty() => {
                    println!("  messages/{}.ftl lacks {}: {}", c.code, count(keys.len(), "message"), keys.join(", "))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}
