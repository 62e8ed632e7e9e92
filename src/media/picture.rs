//! Turning an uploaded picture into what the shop shows: checked by decoding it (never by its
//! name or declared type), turned upright as the camera recorded, flattened onto white, fitted
//! within [`LARGEST_SIDE`] and [`THUMBNAIL_SIDE`], and saved as JPEG. Re-encoding also drops
//! whatever the file carried besides the pixels (a phone's location, for one).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

use crate::Error;

/// The longest side of the picture kept.
pub const LARGEST_SIDE: u32 = 1600;
/// The longest side of its thumbnail (twice the size lists show it at).
pub const THUMBNAIL_SIDE: u32 = 400;
/// The shortest side accepted: anything smaller shows nothing of a product.
pub const SMALLEST_SIDE: u32 = 100;
/// The largest file accepted.
pub const LARGEST_FILE: usize = 15 * 1024 * 1024;

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

/// Checks and converts `bytes` (CPU work: run it off the async threads).
pub fn prepare(bytes: &[u8]) -> Result<Prepared, Error> {
    if bytes.is_empty() {
        return Err(Error::invalid("file", "the file is empty"));
    }
    if bytes.len() > LARGEST_FILE {
        return Err(Error::invalid("file", format!("the file is larger than {} MB", LARGEST_FILE / 1024 / 1024)));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| unreadable())?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err(unreadable());
    }
    // A small file can claim enormous dimensions; refuse those before allocating for them.
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| unreadable())?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => {
            Error::invalid("file", "the picture is too large: at most 12,000 pixels a side")
        }
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
    let picture = flatten(&fit(&image, LARGEST_SIDE));
    let thumbnail = flatten(&fit(&image, THUMBNAIL_SIDE));
    Ok(Prepared {
        width: picture.width(),
        height: picture.height(),
        picture: jpeg(&picture, 85)?,
        thumbnail: jpeg(&thumbnail, 80)?,
    })
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
