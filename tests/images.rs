//! Speakers' photos and announcements' pictures: responsive variants with their sizes, no
//! metadata published, problems reported at the field that names the image, and a cache that a
//! rebuild reuses.

mod common;

use common::{brief, png, Run, Site};
use scraper::{Html, Selector};

/// A JPEG of `width` × `height` (as stored) with a red block in its top-left corner, carrying
/// EXIF data: an orientation (6: shown turned a quarter clockwise) and a GPS position.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        if x < width / 4 && y < height / 4 {
            image::Rgb([230, 20, 20])
        } else {
            image::Rgb([20, 20, 230])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95).encode_image(&image).unwrap();
    // The EXIF block, big-endian TIFF: IFD0 holds the orientation and the GPS IFD's offset; the
    // GPS IFD holds a latitude reference.
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend([0, 2]);
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend([0, 0, 0, 0]);
    tiff.extend([0, 1]);
    tiff.extend([0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend(tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(len.to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// A PNG whose header says it is `width` × `height` pixels, with no pixels after it.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(1, 1, [0, 0, 0]);
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    bytes
}

/// The names of the metadata a published image carries: JPEG APP1 (EXIF, XMP), APP13 (IPTC)
/// and comments; WebP's EXIF and XMP chunks; PNG's eXIf and text chunks.
fn metadata_in(path: &str, bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    if path.ends_with(".jpg") {
        assert_eq!(&bytes[..2], [0xFF, 0xD8], "{path} is no JPEG");
        let mut i = 2;
        while i + 4 <= bytes.len() && bytes[i] == 0xFF {
            let marker = bytes[i + 1];
            if marker == 0xDA {
                break;
            }
            let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
            if matches!(marker, 0xE1 | 0xED | 0xFE) {
                found.push(format!("JPEG segment {marker:#x}"));
            }
            i += 2 + len;
        }
    } else if path.ends_with(".webp") {
        assert_eq!(&bytes[..4], b"RIFF", "{path} is no WebP");
        let mut i = 12;
        while i + 8 <= bytes.len() {
            let fourcc = String::from_utf8_lossy(&bytes[i..i + 4]).into_owned();
            let len = u32::from_le_bytes(bytes[i + 4..i + 8].try_into().unwrap()) as usize;
            if fourcc == "EXIF" || fourcc == "XMP " {
                found.push(format!("WebP chunk {fourcc}"));
            }
            i += 8 + len + (len & 1);
        }
    } else if path.ends_with(".png") {
        let mut i = 8;
        while i + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
            let kind = String::from_utf8_lossy(&bytes[i + 4..i + 8]).into_owned();
            if matches!(kind.as_str(), "eXIf" | "tEXt" | "iTXt" | "zTXt") {
                found.push(format!("PNG chunk {kind}"));
            }
            i += 12 + len;
        }
    }
    found
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn page(site: &Site, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(site.public().join(rel)).unwrap())
}

/// `brief build` run as a user types it: inside the site's folder, without `--root`.
fn build_inside(site: &Site) -> Run {
    Run::from(brief().arg("build").current_dir(site.root()).output().unwrap())
}

/// The starter with a photo for its speaker and a picture for its announcement.
fn with_images() -> Site {
    let site = Site::starter();
    site.write("content/speakers/jane.jpg", jpeg_with_exif(1200, 800));
    site.edit(
        "content/speakers/jane-doe.md",
        "---\n",
        "---\nphoto:\n  src: jane.jpg\n  alt: Jane Doe at the lectern\n  credit: Example Agency\n",
    );
    site.write("static/pictures/hall.png", png(2000, 1000, [40, 160, 90]));
    site.edit(
        "content/announcements/opening.md",
        "---\n",
        "---\nimage:\n  src: /pictures/hall.png\n  alt: The exhibition hall on the first morning\n",
    );
    site
}

#[test]
fn photos_and_pictures_become_responsive_variants_without_metadata() {
    let site = with_images();
    let run = build_inside(&site).ok();
    assert!(run.stdout.contains("Images: 2 shown, 2 made now, 0 from the cache"), "{}", run.stdout);
    let out = site.output();

    // No published image carries metadata, and the original under static/ is not published as it
    // is: only its variants are.
    let images: Vec<(&String, &Vec<u8>)> = out.iter().filter(|(p, _)| p.starts_with("images/")).collect();
    assert!(images.len() >= 8, "{:?}", out.keys().collect::<Vec<_>>());
    for (path, bytes) in &images {
        assert_eq!(metadata_in(path, bytes), Vec::<String>::new(), "{path} carries metadata");
    }
    assert!(!out.contains_key("pictures/hall.png"), "the original of a picture is published as it is");
    assert!(!out.keys().any(|p| p.contains("jane.jpg")));
    // The cache is beside the output, never in it, and a new briefing keeps it out of git.
    assert!(site.root().join(".brief/cache/images").is_dir());
    assert!(site.read(".gitignore").lines().any(|l| l == "/.brief/cache/"));
    assert!(!out.keys().any(|p| p.contains(".brief")));

    // The speaker's page: the photo turned upright (the EXIF orientation), in WebP with a JPEG
    // fallback, its size written, loaded at once at the top of the page.
    let speaker = page(&site, "speakers/jane-doe/index.html");
    let img = select(&speaker, ".profile picture img");
    assert_eq!(img.len(), 1, "no photo on the speaker's page");
    let img = img[0].value();
    assert_eq!(img.attr("alt"), Some("Jane Doe at the lectern"));
    let (w, h): (u32, u32) =
        (img.attr("width").unwrap().parse().unwrap(), img.attr("height").unwrap().parse().unwrap());
    assert_eq!((w, h), (640, 960), "a photo stored sideways is shown upright");
    assert_eq!(img.attr("loading"), None);
    assert_eq!(img.attr("fetchpriority"), Some("high"));
    let source = select(&speaker, ".profile picture source[type='image/webp']");
    assert_eq!(source.len(), 1);
    let srcset = source[0].value().attr("srcset").unwrap();
    assert!(srcset.contains(" 160w") && srcset.contains(" 320w") && srcset.contains(" 640w"), "{srcset}");
    assert!(select(&speaker, ".profile .initials").is_empty(), "initials shown beside a photo");
    // Every variant named in the page exists, at the size its `w` says.
    for candidate in srcset.split(", ").chain(img.attr("srcset").unwrap().split(", ")) {
        let (url, width) = candidate.split_once(' ').unwrap();
        let bytes = &out[url.trim_start_matches('/')];
        let decoded = image::load_from_memory(bytes).unwrap();
        assert_eq!(format!("{}w", decoded.width()), width, "{url}");
        assert_eq!(decoded.height(), decoded.width() * 3 / 2, "{url} keeps the proportions");
    }
    // Upright: the red corner of the stored image is at the top right once turned.
    let largest = image::load_from_memory(&out[img.attr("src").unwrap().trim_start_matches('/')]).unwrap().to_rgb8();
    let [r, _, b] = largest.get_pixel(largest.width() - 10, 10).0;
    assert!(r > 150 && b < 100, "the top right corner is not the red one: {r}, {b}");
    let [r, _, b] = largest.get_pixel(10, 10).0;
    assert!(b > 150 && r < 100, "the top left corner is not blue: {r}, {b}");
    // Link previews and structured data name the largest variant, absolutely.
    let og = select(&speaker, "meta[property='og:image']");
    assert_eq!(og.len(), 1);
    let og_url = og[0].value().attr("content").unwrap();
    assert!(og_url.starts_with("https://") && og_url.ends_with(".jpg"), "{og_url}");
    let ld = select(&speaker, "script[type='application/ld+json']");
    let ld: serde_json::Value = serde_json::from_str(&ld[0].text().collect::<String>()).unwrap();
    assert_eq!(ld["image"]["contentUrl"], og_url);
    assert_eq!(ld["image"]["creditText"], "Example Agency");
    assert_eq!(ld["image"]["width"]["value"], 640);

    // An announcement's card shows its picture, lazily, after its title in the page.
    let home = page(&site, "announcements/index.html");
    let card = select(&home, ".card picture img.card-image");
    assert_eq!(card.len(), 1, "no picture on the announcement's card");
    assert_eq!(card[0].value().attr("loading"), Some("lazy"));
    assert_eq!(card[0].value().attr("alt"), Some("The exhibition hall on the first morning"));
    assert_eq!(select(&home, ".card > *:first-child")[0].value().name(), "h2", "the title comes first in the page");

    // Cards below the fold load lazily, with the photo instead of the initials.
    let list = page(&site, "speakers/index.html");
    let card = select(&list, ".speaker picture img");
    assert_eq!(card.len(), 1);
    assert_eq!(card[0].value().attr("loading"), Some("lazy"));
    assert!(select(&list, ".speaker .initials").is_empty());

    // The announcement's picture: a PNG source gets JPEG fallbacks (it has no transparency), at
    // most 1440 pixels wide, never wider than the source; in link previews and the article data.
    let article = page(&site, "announcements/opening/index.html");
    let img = select(&article, ".article-image picture img");
    assert_eq!(img.len(), 1);
    assert_eq!(img[0].value().attr("width"), Some("1440"));
    assert_eq!(img[0].value().attr("height"), Some("720"));
    assert_eq!(img[0].value().attr("alt"), Some("The exhibition hall on the first morning"));
    let ld = select(&article, "script[type='application/ld+json']");
    let ld: serde_json::Value = serde_json::from_str(&ld[0].text().collect::<String>()).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert!(ld["image"]["contentUrl"].as_str().unwrap().ends_with(".jpg"));
    let card = select(&article, "meta[name='twitter:card']");
    assert_eq!(card[0].value().attr("content"), Some("summary_large_image"));

    // A second build decodes nothing, and writes the same site.
    let run = build_inside(&site).ok();
    assert!(run.stdout.contains("Images: 2 shown, 0 made now, 2 from the cache"), "{}", run.stdout);
    assert_eq!(site.output(), out);
}

#[test]
fn a_translation_gives_the_text_alternative_in_its_language() {
    let site = with_images();
    site.append("content/site.yaml", "languages:\n  en: {name: English}\n  zh: {name: 中文}\n");
    site.write(
        "content/speakers/jane-doe.zh.md",
        "---\nname: 简·多伊\nphoto:\n  alt: 简·多伊在讲台上\n---\n\n简介。\n",
    );
    build_inside(&site).ok();
    let zh = page(&site, "zh/speakers/jane-doe/index.html");
    let img = select(&zh, ".profile picture img");
    assert_eq!(img[0].value().attr("alt"), Some("简·多伊在讲台上"));
    let en = page(&site, "speakers/jane-doe/index.html");
    // The same files in both languages.
    assert_eq!(select(&en, ".profile picture img")[0].value().attr("src"), img[0].value().attr("src"));

    // A translation may not name another file.
    site.write(
        "content/speakers/jane-doe.zh.md",
        "---\nname: 简·多伊\nphoto:\n  src: other.jpg\n  alt: 简\n---\n\n简介。\n",
    );
    build_inside(&site)
        .code(1)
        .says("content/speakers/jane-doe.zh.md:4:8")
        .says("does not share its original's image file (content/speakers/jane-doe.md:3)");
}

/// Each problem with an image is reported at the field that names it, with what to do.
#[test]
fn image_problems_are_errors_at_the_field_that_names_them() {
    let site = Site::starter();
    site.write("content/speakers/broken.jpg", {
        let mut b = jpeg_with_exif(300, 200);
        b.truncate(400);
        b
    });
    site.write("content/speakers/notes.jpg", b"these are notes, not a photo");
    // The start of a BMP file: its signature and header.
    site.write("content/speakers/shot.bmp", [b"BM".as_slice(), &[0; 52]].concat());
    site.write("content/speakers/huge.png", png_claiming(20_000, 20_000));
    let original = site.read("content/speakers/jane-doe.md");
    let cases: [(&str, &str, &str, &str); 6] = [
        ("src: broken.jpg\n  alt: A", ":3:8", "content/speakers/broken.jpg is damaged", "export the image again"),
        (
            "src: notes.jpg\n  alt: A",
            ":3:8",
            "content/speakers/notes.jpg is not an image brief can read",
            "save it as JPEG",
        ),
        ("src: shot.bmp\n  alt: A", ":3:8", "content/speakers/shot.bmp is in BMP format", "save it as JPEG"),
        ("src: huge.png\n  alt: A", ":3:8", "is 20000 × 20000 pixels, more than brief decodes", "scale it down"),
        ("src: jane.jpg", ":2:1", "this photo has no text alternative", "add `alt:`"),
        ("src: gone.jpg\n  alt: A", ":3:8", "there is no image at content/speakers/gone.jpg", "check the path"),
    ];
    for (field, at, message, help) in cases {
        site.write("content/speakers/jane-doe.md", original.replacen("---\n", &format!("---\nphoto:\n  {field}\n"), 1));
        let run = build_inside(&site).code(1);
        let run = run.says(&format!("content/speakers/jane-doe.md{at}")).says(message).says(help);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(!site.public().exists(), "a failed build wrote the site");
    }
    // A photo of an image too large is refused from its header: the check is quick, whatever
    // the size claimed.
    let started = std::time::Instant::now();
    site.write(
        "content/speakers/jane-doe.md",
        original.replacen("---\n", "---\nphoto:\n  src: huge.png\n  alt: A\n", 1),
    );
    site.run(&["check"]).code(1).says("20000 × 20000");
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

/// A rebuild of a site with 500 photos decodes none of them again; a changed photo is decoded
/// alone.
#[test]
fn a_warm_rebuild_of_500_photos_decodes_none() {
    let site = Site::starter();
    for i in 0..500u32 {
        let colour = [(i % 256) as u8, (i / 2 % 256) as u8, 90];
        site.write(&format!("content/speakers/p{i}.png"), png(200 + i % 7, 150, colour));
        site.write(
            &format!("content/speakers/p{i}.md"),
            format!("---\nname: Person {i}\nphoto:\n  src: p{i}.png\n  alt: Person {i}\n---\nBio.\n"),
        );
    }
    let options = brief::Options { root: site.root(), out: None, settings: brief::Settings::default(), search: false };
    let cold = brief::build(&options).unwrap();
    assert_eq!((cold.images.images, cold.images.made, cold.images.cached), (500, 500, 0));
    let first = site.output();
    let warm = brief::build(&options).unwrap();
    assert_eq!((warm.images.images, warm.images.made, warm.images.cached), (500, 0, 500));
    assert_eq!(site.output(), first, "a warm build wrote another site");
    site.write("content/speakers/p7.png", png(180, 150, [1, 2, 3]));
    let one = brief::build(&options).unwrap();
    assert_eq!((one.images.made, one.images.cached), (1, 499));
}

/// Published under a subpath, the variants are found there; hosts are told to cache them for a
/// year, as they are named after their content.
#[test]
fn published_images_work_under_a_subpath_and_are_cached_long() {
    let site = with_images();
    Run::from(
        brief()
            .args(["publish", "--base-url", "https://example.org/briefing/"])
            .current_dir(site.root())
            .output()
            .unwrap(),
    )
    .ok();
    let speaker = page(&site, "speakers/jane-doe/index.html");
    let img = select(&speaker, ".profile picture img");
    let src = img[0].value().attr("src").unwrap();
    assert!(src.starts_with("/briefing/images/jane-doe-640."), "{src}");
    let og = select(&speaker, "meta[property='og:image']");
    assert_eq!(og[0].value().attr("content").unwrap(), format!("https://example.org{src}"));
    assert!(site.public().join(src.trim_start_matches("/briefing/")).is_file());

    let headers = site.read("public/_headers");
    assert!(headers.contains("/images/*\n  Cache-Control: public, max-age=31536000, immutable\n"), "{headers}");
    let manifest: serde_json::Value = serde_json::from_str(&site.read("public/brief-manifest.json")).unwrap();
    let files = manifest["files"].as_array().expect("a list of files");
    let variants: Vec<&serde_json::Value> =
        files.iter().filter(|f| f["path"].as_str().is_some_and(|p| p.starts_with("images/"))).collect();
    assert!(variants.len() >= 8);
    for v in variants {
        assert_eq!(v["cache_control"], "public, max-age=31536000, immutable", "{v}");
        let path = v["path"].as_str().unwrap();
        let kind = if path.ends_with(".webp") { "image/webp" } else { "image/jpeg" };
        assert_eq!(v["content_type"], kind, "{v}");
    }
}
