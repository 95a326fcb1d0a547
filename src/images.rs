//! Photos and pictures of the content, made into responsive variants.
//!
//! [`probe`] reads an image's header only: its format, its size as shown (after its EXIF
//! orientation) and the hash of its bytes. That is enough to plan the variants ([`plan`]): their
//! widths, formats and names, which carry a hash, so a page can be written before any pixel is
//! decoded. [`process`] then decodes each source whose variants are not in the cache yet, turns
//! it upright, resizes it and encodes every variant into the cache; the published files are
//! copies of the cached ones. Nothing of the source's metadata (EXIF, with its GPS position; XMP;
//! ICC profiles; comments) is carried over: the variants are encoded from pixels alone.
//!
//! The cache lives beside the output (`.brief/cache/images/` under the site's root), never in
//! it, and is keyed by content: a rebuild, or a save in `serve`, decodes only images that are new.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// An image larger than this many pixels is refused before it is decoded: a 20,000 × 20,000
/// picture would take 1.6 GB to decode, and a briefing needs none so large.
pub const MAX_PIXELS: u64 = 50_000_000;

/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;

/// Names the way variants are made: changing the processing changes it, so that new variants
/// get new names and cache entries.
const PIPELINE: &str = "brief-images-1";

/// JPEG quality of the fallback variants, and WebP quality of the modern ones.
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;

/// Where the variants are cached, under a site's root.
pub const CACHE_DIR: &str = ".brief/cache/images";

/// The formats an image can come in, and the variants are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl Format {
    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Gif => "gif",
        }
    }

    /// Its media type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
        }
    }

    fn of(format: ImageFormat) -> Option<Format> {
        match format {
            ImageFormat::Jpeg => Some(Format::Jpeg),
            ImageFormat::Png => Some(Format::Png),
            ImageFormat::WebP => Some(Format::WebP),
            ImageFormat::Gif => Some(Format::Gif),
            _ => None,
        }
    }
}

/// File extensions of the images brief reads, lower case.
pub const EXTENSIONS: [&str; 5] = ["jpg", "jpeg", "png", "webp", "gif"];

/// Whether a file name looks like an image brief reads (or one of the kinds people try:
/// `.heic`, `.tif`, `.bmp`, `.avif`, `.svg`), so that it is taken for an image, not content.
pub fn is_image_name(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    EXTENSIONS.contains(&ext.as_str())
        || matches!(ext.as_str(), "heic" | "heif" | "tif" | "tiff" | "bmp" | "avif" | "svg")
}

/// What the header of an image says, and the hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// SHA-256 of the file, in hex.
    pub hash: String,
    /// Its size as shown: after its EXIF orientation, a portrait shot stored sideways is tall.
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Whether it has an alpha channel (its fallback is then a PNG).
    pub alpha: bool,
}

/// Why an image cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No file at the path.
    Missing,
    /// The file exists but cannot be read.
    Unreadable(String),
    /// Not a format brief reads; the format's name when it was recognised.
    Unsupported(Option<String>),
    /// The file says it is an image, but its data does not decode.
    Corrupt(String),
    /// Larger than [`MAX_PIXELS`] or [`MAX_SIDE`].
    TooLarge { width: u32, height: u32 },
}

impl Problem {
    /// What is wrong with the image `shown` (its path as the author knows it).
    pub fn message(&self, shown: &str) -> String {
        match self {
            Problem::Missing => format!("there is no image at {shown}"),
            Problem::Unreadable(e) => format!("{shown} cannot be read: {e}"),
            Problem::Unsupported(Some(format)) => format!("{shown} is in {format} format, which brief does not read"),
            Problem::Unsupported(None) => {
                format!("{shown} is not an image brief can read (it is not JPEG, PNG, WebP or GIF)")
            }
            Problem::Corrupt(e) => format!("{shown} is damaged: {}", e.trim()),
            Problem::TooLarge { width, height } => {
                format!("{shown} is {width} × {height} pixels, more than brief decodes")
            }
        }
    }

    /// How to fix it.
    pub fn help(&self) -> String {
        match self {
            Problem::Missing => "check the path: a relative path is read from the folder of the Markdown file, \
                                 a path starting with `/` from static/"
                .into(),
            Problem::Unreadable(_) => "check the file's permissions".into(),
            Problem::Unsupported(_) => "save it as JPEG, PNG or WebP (a photo as JPEG)".into(),
            Problem::Corrupt(_) => "export the image again from its original, as JPEG or PNG".into(),
            Problem::TooLarge { .. } => format!(
                "scale it down to at most {MAX_SIDE} pixels a side and {} megapixels (4000 pixels wide is plenty)",
                MAX_PIXELS / 1_000_000
            ),
        }
    }
}

/// The limits the decoder works under, so that no header can make it allocate more than an
/// accepted image needs.
fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    limits
}

/// A reader of an image in memory.
type Reader<'a> = ImageReader<Cursor<&'a [u8]>>;

fn reader(bytes: &[u8]) -> Result<(Reader<'_>, Format), Problem> {
    let reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| Problem::Unreadable(e.to_string()))?;
    let format = match reader.format() {
        Some(f) => Format::of(f).ok_or_else(|| Problem::Unsupported(Some(format!("{f:?}").to_uppercase())))?,
        None => return Err(Problem::Unsupported(sniff(bytes).map(str::to_string))),
    };
    Ok((reader, format))
}

/// The name of a format the image crate does not recognise, by its signature, for the message.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(64)];
    if head.get(4..12).is_some_and(|b| b.starts_with(b"ftyp") && (b.ends_with(b"heic") || b.ends_with(b"mif1"))) {
        Some("HEIC")
    } else if head.get(4..12).is_some_and(|b| b.starts_with(b"ftyp") && b.ends_with(b"avif")) {
        Some("AVIF")
    } else if head.windows(4).any(|w| w == b"<svg") || head.starts_with(b"<?xml") {
        Some("SVG")
    } else {
        None
    }
}

/// Reads the header of the image at `path`: its format, size and orientation, and hashes it.
/// Refuses, before decoding, an image too large to decode.
pub fn probe(path: &Path) -> Result<Probe, Problem> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::Missing,
        _ => Problem::Unreadable(e.to_string()),
    })?;
    probe_bytes(&bytes)
}

fn probe_bytes(bytes: &[u8]) -> Result<Probe, Problem> {
    let (reader, format) = reader(bytes)?;
    let mut decoder = reader.into_decoder().map_err(|e| decode_problem(&e, None))?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let (width, height) = if turns_sideways(orientation) { (height, width) } else { (width, height) };
    let alpha = decoder.color_type().has_alpha();
    let hash = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    Ok(Probe { hash, width, height, format, alpha })
}

/// The problem of a decoding error, for an image of `size` when it is known.
fn decode_problem(e: &image::ImageError, size: Option<(u32, u32)>) -> Problem {
    match e {
        image::ImageError::Limits(_) => match size {
            Some((width, height)) => Problem::TooLarge { width, height },
            None => Problem::Corrupt(format!("decoding it would take too much memory ({e})")),
        },
        image::ImageError::Unsupported(u) => Problem::Unsupported(Some(u.to_string())),
        other => Problem::Corrupt(other.to_string()),
    }
}

fn check_size(width: u32, height: u32) -> Result<(), Problem> {
    if width == 0 || height == 0 {
        return Err(Problem::Corrupt(format!("it says it is {width} × {height} pixels")));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Problem::TooLarge { width, height });
    }
    Ok(())
}

fn turns_sideways(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// What an image is for, which decides the widths of its variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Use {
    /// A speaker's photo: small on cards, larger on the speaker's page.
    Photo,
    /// An announcement's picture, across the column and in link previews.
    Picture,
}

impl Use {
    fn widths(self) -> &'static [u32] {
        match self {
            Use::Photo => &[160, 320, 640],
            Use::Picture => &[480, 960, 1440],
        }
    }
}

/// One file made from an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Its path in the output (`images/su-bo-320.0123456789.webp`).
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Its file in the cache, from which it is published.
    pub cached: PathBuf,
}

/// The variants of the image `probe` for `usage`, named after `name` (a slug) and kept in
/// `cache`: for each width up to the image's own (never larger), a WebP and a fallback in JPEG,
/// or PNG for an image with transparency. Widest last.
pub fn plan(probe: &Probe, usage: Use, name: &str, cache: &Path) -> Vec<Variant> {
    let mut widths: Vec<u32> = usage.widths().iter().copied().filter(|&w| w < probe.width).collect();
    let widest = usage.widths().last().copied().unwrap_or(probe.width);
    if probe.width <= widest {
        widths.push(probe.width);
    } else if widths.last() != Some(&widest) {
        widths.push(widest);
    }
    let fallback = if probe.alpha { Format::Png } else { Format::Jpeg };
    let mut out = Vec::with_capacity(widths.len() * 2);
    for format in [Format::WebP, fallback] {
        for &width in &widths {
            let height = ((u64::from(probe.height) * u64::from(width) + u64::from(probe.width) / 2)
                / u64::from(probe.width))
            .max(1) as u32;
            let mut key = Sha256::new();
            key.update(PIPELINE);
            key.update(&probe.hash);
            key.update(format!("{width}x{height}.{}", format.extension()));
            let hash: String = key.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
            let ext = format.extension();
            out.push(Variant {
                path: format!("images/{name}-{width}.{}.{ext}", &hash[..10]),
                width,
                height,
                format,
                cached: cache.join(format!("{hash}.{ext}")),
            });
        }
    }
    out
}

/// An image to process: its source file and the variants to make of it.
pub struct Job<'a> {
    pub source: PathBuf,
    pub variants: &'a [Variant],
}

/// How many sources a run decoded, and how many it found in the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Distinct images referenced.
    pub images: usize,
    /// Decoded and made into variants in this run.
    pub made: usize,
    /// Whose variants were all in the cache.
    pub cached: usize,
}

/// Makes the variants of every job that the cache lacks, in parallel. Returns what it did, and
/// the problems of the jobs that failed, by their index in `jobs`.
pub fn process(jobs: &[Job]) -> (Stats, Vec<(usize, Problem)>) {
    let results: Vec<(bool, Option<Problem>)> = jobs
        .par_iter()
        .map(|job| {
            if job.variants.iter().all(|v| v.cached.is_file()) {
                return (false, None);
            }
            (true, make(job).err())
        })
        .collect();
    let mut stats = Stats { images: jobs.len(), ..Stats::default() };
    let mut problems = Vec::new();
    for (i, (made, problem)) in results.into_iter().enumerate() {
        match (made, problem) {
            (_, Some(p)) => problems.push((i, p)),
            (true, None) => stats.made += 1,
            (false, None) => stats.cached += 1,
        }
    }
    (stats, problems)
}

/// Decodes the job's source, turns it upright and writes each variant into the cache.
fn make(job: &Job) -> Result<(), Problem> {
    let bytes = std::fs::read(&job.source).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::Missing,
        _ => Problem::Unreadable(e.to_string()),
    })?;
    let image = decode(&bytes)?;
    for v in job.variants {
        if v.cached.is_file() {
            continue;
        }
        let encoded = encode(&resize(&image, v.width, v.height)?, v.format)?;
        write_atomically(&v.cached, &encoded)
            .map_err(|e| Problem::Unreadable(format!("cannot write the cache: {e}")))?;
    }
    Ok(())
}

/// The image in `bytes`, upright, as 8-bit RGB or RGBA.
fn decode(bytes: &[u8]) -> Result<DynamicImage, Problem> {
    let (mut reader, _) = reader(bytes)?;
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|e| decode_problem(&e, None))?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| decode_problem(&e, Some((width, height))))?;
    image.apply_orientation(orientation);
    Ok(if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

fn resize(image: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, Problem> {
    if image.width() == width && image.height() == height {
        return Ok(image.clone());
    }
    let mut out = match image {
        DynamicImage::ImageRgba8(_) => DynamicImage::ImageRgba8(image::RgbaImage::new(width, height)),
        _ => DynamicImage::ImageRgb8(image::RgbImage::new(width, height)),
    };
    let options = fast_image_resize::ResizeOptions::new()
        .resize_alg(fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3));
    fast_image_resize::Resizer::new()
        .resize(image, &mut out, &options)
        .map_err(|e| Problem::Corrupt(format!("cannot be resized: {e}")))?;
    Ok(out)
}

fn encode(image: &DynamicImage, format: Format) -> Result<Vec<u8>, Problem> {
    let failed = |e: &dyn std::fmt::Display| Problem::Corrupt(format!("cannot be encoded: {e}"));
    let mut out = Vec::new();
    match format {
        Format::WebP => {
            let (w, h) = (image.width(), image.height());
            let memory = match image {
                DynamicImage::ImageRgba8(rgba) => webp::Encoder::from_rgba(rgba.as_raw(), w, h).encode(WEBP_QUALITY),
                other => webp::Encoder::from_rgb(other.to_rgb8().as_raw(), w, h).encode(WEBP_QUALITY),
            };
            out.extend_from_slice(&memory);
        }
        Format::Jpeg => {
            let rgb = image.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode_image(&rgb)
                .map_err(|e| failed(&e))?;
        }
        Format::Png | Format::Gif => {
            image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(|e| failed(&e))?;
        }
    }
    Ok(out)
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a cache entry is whole
/// or absent, even when two builds run at once.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Unique among the threads of this process and among processes.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_file_name(format!(".{name}.{}-{n}.part", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let image = if alpha {
            DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(width, height, image::Rgba([10, 20, 30, 128])))
        } else {
            DynamicImage::ImageRgb8(image::RgbImage::from_pixel(width, height, image::Rgb([10, 20, 30])))
        };
        let mut out = Vec::new();
        image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn variants_never_upscale_and_keep_the_aspect_ratio() {
        let probe = probe_bytes(&png(500, 250, false)).unwrap();
        let plan = plan(&probe, Use::Photo, "a", Path::new("/c"));
        let widths: Vec<(u32, u32, Format)> = plan.iter().map(|v| (v.width, v.height, v.format)).collect();
        assert_eq!(
            widths,
            [
                (160, 80, Format::WebP),
                (320, 160, Format::WebP),
                (500, 250, Format::WebP),
                (160, 80, Format::Jpeg),
                (320, 160, Format::Jpeg),
                (500, 250, Format::Jpeg)
            ]
        );
        assert!(plan.iter().all(|v| v.path.starts_with("images/a-") && crate::deploy::is_fingerprinted(&v.path)));
        let wide = probe_bytes(&png(3000, 1000, true)).unwrap();
        let plan = super::plan(&wide, Use::Picture, "b", Path::new("/c"));
        assert_eq!(plan.last().map(|v| (v.width, v.format)), Some((1440, Format::Png)));
    }

    #[test]
    fn a_header_too_large_is_refused_before_decoding() {
        // A PNG whose header claims 20,000 × 20,000 pixels, with no pixel data at all.
        let mut bytes = png(1, 1, false);
        bytes[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        assert_eq!(probe_bytes(&bytes), Err(Problem::TooLarge { width: 20_000, height: 20_000 }));
    }

    fn encoded(format: ImageFormat) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(24, 16, |x, y| {
            image::Rgb([x as u8 * 9, y as u8 * 13, 77])
        }));
        let mut out = Vec::new();
        image.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

        /// Damaged files never panic: reading the header and decoding either work or say why.
        #[test]
        fn damaged_images_are_problems_never_panics(
            format in 0..4usize,
            flips in proptest::collection::vec((0..4096usize, proptest::prelude::any::<u8>()), 1..8),
            cut in 0..4096usize,
        ) {
            let mut bytes = encoded([ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP, ImageFormat::Gif][format]);
            for (at, byte) in flips {
                let n = bytes.len();
                bytes[at % n] = byte;
            }
            if cut < bytes.len() && cut % 3 == 0 {
                bytes.truncate(cut);
            }
            if probe_bytes(&bytes).is_ok() {
                if let Ok(image) = decode(&bytes) {
                    let small = resize(&image, 8, 5).unwrap();
                    encode(&small, Format::WebP).unwrap();
                    encode(&small, Format::Jpeg).unwrap();
                }
            }
        }
    }

    #[test]
    fn what_is_not_an_image_is_named() {
        assert_eq!(
            probe_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Err(Problem::Unsupported(Some("SVG".into())))
        );
        assert!(matches!(probe_bytes(b"\x89PNG\r\n\x1a\nnot really"), Err(Problem::Corrupt(_))));
    }
}
