//! Pictures for the demo catalogs: a packshot drawn for each product (the shape of its pack,
//! in its brand's colour, with the brand and name on the label), as SVG. They go through the
//! same store and rows as uploaded pictures; only their making differs.

use std::fmt::Write;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use crate::base::TenantId;
use crate::catalog::image;
use crate::media::MediaStore;

/// The pack a product comes in, from its category and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pack {
    Bag,
    Bottle,
    Tin,
    Carton,
    Sachet,
    Phone,
    Gadget,
}

fn pack_of(category: &str, name: &str) -> Pack {
    let name = name.to_lowercase();
    let words: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    // Whole words, singular or plural ("oil" is not in "parboiled").
    let has = |wanted: &[&str]| words.iter().any(|w| wanted.iter().any(|x| w == x || w.strip_suffix('s') == Some(x)));
    if category.starts_with("Phones") || category.contains("Cases") {
        Pack::Phone
    } else if category.starts_with("Accessories") {
        Pack::Gadget
    } else if has(&["oil", "water", "juice", "drink", "malt", "coke", "fanta", "sprite", "lotion", "bleach", "liquid"])
        || category.contains("drinks")
        || category.contains("Juice")
    {
        Pack::Bottle
    } else if has(&["tin", "milk", "paste", "margarine", "jelly", "sardine", "tomato"]) || category == "Dairy" {
        Pack::Tin
    } else if has(&["noodle", "spaghetti", "macaroni", "sachet", "cube", "pads"]) {
        Pack::Sachet
    } else if has(&["rice", "beans", "garri", "flour", "semovita", "sugar", "salt", "detergent", "powder"])
        || category.contains("grains")
    {
        Pack::Bag
    } else {
        Pack::Carton
    }
}

/// A colour of its own for each brand (the same every time).
fn hue(brand: &str) -> u32 {
    brand.bytes().fold(7_u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 360
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Splits `text` into at most `lines` lines of about `width` characters.
fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match out.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_owned()),
        }
    }
    if out.len() > lines {
        out.truncate(lines);
        if let Some(last) = out.last_mut() {
            last.push('…');
        }
    }
    out
}

/// The pack's outline and the label's box (x, y, width, height) on an 800×800 canvas.
fn outline(pack: Pack) -> (&'static str, (u32, u32, u32, u32)) {
    match pack {
        Pack::Bag => (
            "<path d='M230 140 Q400 110 570 140 L610 660 Q400 700 190 660 Z' fill='url(#body)'/>\
             <path d='M230 140 Q400 110 570 140 L575 190 Q400 165 225 190 Z' fill='#000' opacity='.12'/>",
            (230, 330, 340, 200),
        ),
        Pack::Bottle => (
            "<rect x='360' y='90' width='80' height='60' rx='10' fill='#333'/>\
             <path d='M370 150 L430 150 L440 230 Q540 270 540 360 L540 660 Q540 700 500 700 L300 700 Q260 700 260 660 \
              L260 360 Q260 270 360 230 Z' fill='url(#body)'/>",
            (265, 380, 270, 200),
        ),
        Pack::Tin => (
            "<ellipse cx='400' cy='650' rx='200' ry='45' fill='#9aa0a6'/>\
             <rect x='200' y='190' width='400' height='460' fill='url(#body)'/>\
             <ellipse cx='400' cy='190' rx='200' ry='45' fill='#d5d9dd' stroke='#9aa0a6' stroke-width='6'/>",
            (210, 330, 380, 190),
        ),
        Pack::Carton => (
            "<path d='M250 170 L560 170 L610 220 L610 690 L300 690 L250 640 Z' fill='#000' opacity='.15'/>\
             <rect x='220' y='140' width='340' height='520' rx='8' fill='url(#body)'/>",
            (235, 320, 310, 200),
        ),
        Pack::Sachet => (
            "<path d='M170 250 L630 250 L650 290 L630 330 L650 370 L630 410 L650 450 L630 490 L650 530 L630 560 \
              L170 560 L150 530 L170 490 L150 450 L170 410 L150 370 L170 330 L150 290 Z' fill='url(#body)'/>",
            (215, 300, 370, 210),
        ),
        Pack::Phone => (
            "<rect x='270' y='90' width='260' height='560' rx='40' fill='#1f2328'/>\
             <rect x='285' y='120' width='230' height='500' rx='26' fill='url(#body)'/>\
             <circle cx='400' cy='106' r='6' fill='#555'/>",
            (295, 380, 210, 200),
        ),
        Pack::Gadget => (
            "<rect x='200' y='200' width='400' height='400' rx='90' fill='url(#body)'/>\
             <circle cx='400' cy='300' r='60' fill='#fff' opacity='.35'/>",
            (215, 390, 370, 180),
        ),
    }
}

/// The packshot of a product, as SVG.
fn packshot(category: &str, brand: &str, name: &str) -> String {
    let pack = pack_of(category, name);
    let h = hue(if brand.is_empty() { name } else { brand });
    let (shape, (x, y, w, height)) = outline(pack);
    let cx = x + w / 2;
    let brand_line = escape(&wrap(if brand.is_empty() { name } else { brand }, 14, 1).concat());
    let mut name_lines = String::new();
    for (i, line) in wrap(name, if w < 300 { 16 } else { 20 }, 3).iter().enumerate() {
        let dy = y + 100 + u32::try_from(i).unwrap_or(0) * 30;
        let _ = write!(name_lines, "<text x='{cx}' y='{dy}' font-size='24' fill='#333'>{}</text>", escape(line));
    }
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 800 800' width='800' height='800'>\
         <defs><linearGradient id='body' x1='0' x2='1'>\
         <stop offset='0' stop-color='hsl({h},62%,38%)'/><stop offset='.55' stop-color='hsl({h},62%,52%)'/>\
         <stop offset='1' stop-color='hsl({h},62%,34%)'/></linearGradient></defs>\
         <rect width='800' height='800' fill='hsl({h},30%,95%)'/>\
         <ellipse cx='400' cy='715' rx='260' ry='28' fill='#000' opacity='.08'/>{shape}\
         <g font-family='Helvetica, Arial, sans-serif' text-anchor='middle'>\
         <rect x='{x}' y='{y}' width='{w}' height='{height}' rx='14' fill='#fff' opacity='.93'/>\
         <text x='{cx}' y='{ty}' font-size='40' font-weight='700' fill='hsl({h},62%,30%)'>{brand_line}</text>\
         {name_lines}</g></svg>",
        ty = y + 55,
    )
}

/// Draws and keeps a picture for every product of the demo businesses that has none.
pub(super) async fn load(c: &mut PgConnection, media: &dyn MediaStore) -> Result<(), Error> {
    let products = sqlx::query!(
        r#"SELECT p.tenant_id, p.id, p.name, p.brand, coalesce(parent.name || '/' || c.name, c.name, '') AS "category!"
             FROM products p JOIN tenants t ON t.id = p.tenant_id
             LEFT JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
             LEFT JOIN categories parent ON parent.tenant_id = c.tenant_id AND parent.id = c.parent_id
            WHERE t.slug = ANY($1)
              AND NOT EXISTS (SELECT 1 FROM product_images i WHERE i.tenant_id = p.tenant_id AND i.product_id = p.id)
            ORDER BY p.tenant_id, p.name"#,
        &[super::SHOP.slug.to_owned(), super::MARKETPLACE.slug.to_owned()]
    )
    .fetch_all(&mut *c)
    .await?;
    for p in products {
        let svg = packshot(&p.category, &p.brand, &p.name).into_bytes();
        let kept = image::Kept { id: Uuid::now_v7(), extension: "svg", width: 800, height: 800 };
        let key = kept.key(TenantId(p.tenant_id));
        media.put(&key, svg.clone()).await?;
        media.put(&crate::media::thumbnail_key(&key), svg).await?;
        image::insert(c, TenantId(p.tenant_id), crate::catalog::ProductId(p.id), &kept, &key, 0, &p.name).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_product_gets_its_pack_and_a_label_that_fits() {
        assert_eq!(pack_of("Food/Rice & grains", "Mama's Pride Parboiled Rice"), Pack::Bag);
        assert_eq!(pack_of("Beverages/Soft drinks", "Coca-Cola"), Pack::Bottle);
        assert_eq!(pack_of("Dairy", "Peak Evaporated Milk 160g"), Pack::Tin);
        assert_eq!(pack_of("Food/Noodles & pasta", "Indomie Chicken Noodles"), Pack::Sachet);
        assert_eq!(pack_of("Phones/Smartphones", "Tecno Spark 20"), Pack::Phone);
        assert_eq!(pack_of("Accessories/Audio", "Oraimo FreePods"), Pack::Gadget);
        assert_eq!(wrap("Mama's Pride Parboiled Rice 50kg bag", 12, 2), vec!["Mama's Pride", "Parboiled…"]);
        let svg = packshot("Food/Spices & seasoning", "Knorr", "Knorr <Chicken> & Cubes");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Knorr &lt;Chicken&gt; &amp;") && !svg.contains("<Chicken>"), "{svg}");
        assert_eq!(hue("Knorr"), hue("Knorr"));
    }
}
