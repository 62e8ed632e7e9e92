//! Turning an uploaded picture into what the shop shows: checked by decoding it (never by its
//! name or declared type), turned upright as the camera recorded, flattened onto white, fitted
//! within [`LARGEST_SIDE`] and [`THUMBNAIL_SIDE`], and saved as JPEG. Re-encoding also drops
//! whatever the file carried besides the pixels (a phone's location, for one).
//!
//! Decoding costs memory and CPU by the pixel, not by the byte: a PNG of one colour compresses
//! a hundred megapixels into a hundred kilobytes. So the size the file declares is read first
//! and a picture of more than [`LARGEST_PIXELS`] is refused before anything is decoded, and at
//! most [`DECODES_AT_ONCE`] pictures are decoded at a time; an upload that cannot get its turn
//! within [`LONGEST_WAIT`] is told to try again shortly (`RateLimited`, a 429 with
//! `Retry-After`) rather than queueing without end.

use std::io::Cursor;
use std::time::Duration;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use tokio::sync::Semaphore;

use crate::Error;

/// The longest side of the picture kept.
pub const LARGEST_SIDE: u32 = 1600;
/// The longest side of its thumbnail (twice the size lists show it at).
pub const THUMBNAIL_SIDE: u32 = 400;
/// The shortest side accepted: anything smaller shows nothing of a product.
pub const SMALLEST_SIDE: u32 = 100;
/// The largest file accepted.
pub const LARGEST_FILE: usize = 15 * 1024 * 1024;
/// The most pixels accepted (40 megapixels: more than a phone's camera takes). Decoded with an
/// alpha channel that is 160 MB; anything larger is refused from its header alone.
pub const LARGEST_PIXELS: u64 = 40_000_000;
/// The longest side accepted, however few pixels the other has.
pub const LONGEST_SIDE: u32 = 12_000;
/// Pictures decoded at once, at most: each may take a core and a few hundred megabytes for a
/// few seconds, and uploads are rare next to everything else a server does.
pub const DECODES_AT_ONCE: usize = 2;
/// How long an upload waits for its turn to be decoded before it is told to try again.
pub const LONGEST_WAIT: Duration = Duration::from_secs(15);

/// The turns to decode; a turn is held until its decoding has finished, even if the upload's
/// caller has gone away meanwhile.
static TURNS: Semaphore = Semaphore::const_new(DECODES_AT_ONCE);

/// A picture ready to keep.
#[derive(Debug)]
pub struct Prepared {
    /// The picture, as JPEG.
    pub picture: Vec<u8>,
    /// Its thumbnail, as JPEG.
    pub thumbnail: Vec<u8>,
    /// The picture's size in pixels.
    pub width: u32,
    /// The picture's size in pixels.
    pub height: u32,
}

fn unreadable() -> Error {
    Error::invalid("file", "this is not a picture we can read: send a JPEG, PNG or WebP file")
}

/// [`prepare`] on a blocking thread once a turn to decode is free: the way uploads are
/// prepared. A picture whose declared size is too large is refused at once, without waiting.
pub async fn prepare_in_turn(bytes: Vec<u8>) -> Result<Prepared, Error> {
    // Reading the header is cheap; a picture that will be refused need not queue for a turn.
    reader(&bytes)?;
    let turn = tokio::time::timeout(LONGEST_WAIT, TURNS.acquire())
        .await
        .map_err(|_| {
            tracing::warn!("every turn to decode a picture stayed taken; an upload was turned away");
            Error::RateLimited { retry_after: 10 }
        })?
        .map_err(|_| Error::Internal)?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        prepare(&bytes)
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "preparing a picture stopped");
        Error::Internal
    })?
}

/// How many pictures are being decoded now (at most [`DECODES_AT_ONCE`]).
pub fn decodes_under_way() -> usize {
    DECODES_AT_ONCE - TURNS.available_permits()
}

/// Checks and converts `bytes` (CPU work: run it off the async threads, as [`prepare_in_turn`]
/// does).
pub fn prepare(bytes: &[u8]) -> Result<Prepared, Error> {
    let mut reader = reader(bytes)?;
    // The header was checked above; these hold the decoder to it, should the data disagree.
    let mut limits = Limits::default();
    limits.max_image_width = Some(LONGEST_SIDE);
    limits.max_image_height = Some(LONGEST_SIDE);
    // Sixteen bits a channel, with alpha: the most a decoder allocates a pixel.
    limits.max_alloc = Some(LARGEST_PIXELS * 8);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| unreadable())?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => too_many_pixels(),
        _ => unreadable(),
    })?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    if image.width() < SMALLEST_SIDE || image.height() < SMALLEST_SIDE {
        return Err(Error::invalid(
            "file",
            format!(
                "the picture is {}×{} pixels; send one at least {SMALLEST_SIDE} pixels a side",
                image.width(),
                image.height()
            ),
        ));
    }
    let fitted = fit(&image, LARGEST_SIDE);
    drop(image);
    // From the fitted picture, not the upload: a sixth of the work for a large one, and the
    // same thumbnail.
    let thumbnail = flatten(&fit(&fitted, THUMBNAIL_SIDE));
    let picture = flatten(&fitted);
    Ok(Prepared {
        width: picture.width(),
        height: picture.height(),
        picture: jpeg(&picture, 85)?,
        thumbnail: jpeg(&thumbnail, 80)?,
    })
}

/// A reader of `bytes` once the file's size, kind and declared dimensions are acceptable: the
/// dimensions are read from the header, before any pixel is decoded.
fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, Error> {
    if bytes.is_empty() {
        return Err(Error::invalid("file", "the file is empty"));
    }
    if bytes.len() > LARGEST_FILE {
        return Err(Error::invalid("file", format!("the file is larger than {} MB", LARGEST_FILE / 1024 / 1024)));
    }
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| unreadable())?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err(unreadable());
    }
    let (width, height) = reader.into_dimensions().map_err(|_| unreadable())?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > LARGEST_PIXELS || width.max(height) > LONGEST_SIDE {
        tracing::info!(width, height, "a picture too large to decode was refused");
        return Err(Error::invalid(
            "file",
            format!(
                "the picture is {width}×{height} pixels ({} megapixels); send one of at most {} megapixels \
                 and 12,000 pixels a side",
                pixels.div_ceil(1_000_000),
                LARGEST_PIXELS / 1_000_000
            ),
        ));
    }
    ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| unreadable())
}

fn too_many_pixels() -> Error {
    Error::invalid("file", "the picture is too large: at most 40 megapixels and 12,000 pixels a side")
}

/// `image` shrunk (never enlarged) to fit a square of `side`.
fn fit(image: &DynamicImage, side: u32) -> DynamicImage {
    if image.width() <= side && image.height() <= side {
        image.clone()
    } else {
        image.resize(side, side, FilterType::CatmullRom)
    }
}

/// The picture over a white background (JPEG has no transparency).
fn flatten(image: &DynamicImage) -> RgbImage {
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [red, green, blue, alpha] = rgba.get_pixel(x, y).0;
        let over_white = |channel: u8| {
            let (channel, alpha) = (u32::from(channel), u32::from(alpha));
            u8::try_from((channel * alpha + 255 * (255 - alpha)) / 255).unwrap_or(u8::MAX)
        };
        image::Rgb([over_white(red), over_white(green), over_white(blue)])
    })
}

fn jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(image).map_err(|error| {
        tracing::error!(%error, "encoding a picture failed");
        Error::Internal
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgba, RgbaImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = RgbaImage::from_fn(width, height, |x, _| {
            if x < width / 2 { Rgba([200, 30, 30, 255]) } else { Rgba([0, 0, 0, 0]) }
        });
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_picture_is_fitted_and_thumbnailed_as_jpeg() {
        let prepared = prepare(&png(2400, 1200)).unwrap();
        assert_eq!((prepared.width, prepared.height), (1600, 800));
        let thumb = image::load_from_memory(&prepared.thumbnail).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (400, 200));
        assert_eq!(image::guess_format(&prepared.picture).unwrap(), ImageFormat::Jpeg);
        // The transparent half is white now.
        let picture = image::load_from_memory(&prepared.picture).unwrap().to_rgb8();
        assert!(picture.get_pixel(1500, 400).0.iter().all(|&c| c > 240));
    }

    #[test]
    fn a_small_picture_keeps_its_size() {
        let prepared = prepare(&png(300, 200)).unwrap();
        assert_eq!((prepared.width, prepared.height), (300, 200));
    }

    #[test]
    fn what_is_not_a_usable_picture_is_refused_with_a_reason() {
        let refused = |bytes: &[u8]| match prepare(bytes) {
            Err(Error::Invalid { field, message }) => {
                assert_eq!(field, "file");
                message
            }
            other => panic!("{other:?}"),
        };
        assert!(refused(b"").contains("empty"));
        assert!(refused(b"name,price\nrice,100\n").contains("JPEG, PNG or WebP"));
        assert!(refused(b"<svg xmlns='http://www.w3.org/2000/svg'/>").contains("JPEG, PNG or WebP"));
        assert!(refused(&png(50, 400)).contains("at least 100 pixels"));
        let mut truncated = png(400, 400);
        truncated.truncate(100);
        assert!(refused(&truncated).contains("JPEG, PNG or WebP"));
    }
}
