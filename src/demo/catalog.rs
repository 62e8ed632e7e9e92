//! The demo catalogs: a Lagos supermarket's provisions and a marketplace's phones and
//! accessories, with categories, barcodes, prices in naira and stock at every location.

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use crate::base::{Actor, LocationId, StaffMember, TenantId, VendorId};
use crate::catalog::{CategoryId, Keep, ProductInput, ProductStatus, TaxClass, VariantInput, barcode};
use crate::inventory::MovementReason;

/// A line of the catalog: where it is filed, who makes it, what it is, and its variants
/// (option value, price in naira). A line with one unnamed variant has no options.
struct Line {
    category: &'static str,
    brand: &'static str,
    name: String,
    option: &'static str,
    variants: Vec<(String, i64)>,
    tax: TaxClass,
    vendor: usize,
}

fn line(
    category: &'static str,
    brand: &'static str,
    name: &str,
    option: &'static str,
    variants: &[(&str, i64)],
) -> Line {
    Line {
        category,
        brand,
        name: name.to_owned(),
        option,
        variants: variants.iter().map(|(v, p)| ((*v).to_owned(), *p)).collect(),
        tax: TaxClass::Standard,
        vendor: 0,
    }
}

/// Basic food is zero-rated for VAT in Nigeria.
fn food(
    category: &'static str,
    brand: &'static str,
    name: &str,
    option: &'static str,
    variants: &[(&str, i64)],
) -> Line {
    Line { tax: TaxClass::ZeroRated, ..line(category, brand, name, option, variants) }
}

#[expect(clippy::too_many_lines, reason = "a table of demo data, one line a product")]
fn supermarket() -> Vec<Line> {
    let mut lines = vec![
        food(
            "Food/Rice & grains",
            "Mama's Pride",
            "Mama's Pride Parboiled Rice",
            "Size",
            &[("5kg", 9_800), ("10kg", 19_200), ("25kg", 46_500)],
        ),
        food(
            "Food/Rice & grains",
            "Royal Stallion",
            "Royal Stallion Long Grain Rice",
            "Size",
            &[("5kg", 10_400), ("10kg", 20_300), ("50kg", 98_000)],
        ),
        food("Food/Rice & grains", "Caprice", "Caprice Thai Rice", "Size", &[("5kg", 11_200), ("10kg", 21_900)]),
        food(
            "Food/Rice & grains",
            "Honeywell",
            "Honeywell Semovita",
            "Size",
            &[("1kg", 2_100), ("2kg", 4_050), ("5kg", 9_700)],
        ),
        food("Food/Rice & grains", "Golden Penny", "Golden Penny Semovita", "Size", &[("1kg", 2_050), ("2kg", 3_950)]),
        food("Food/Rice & grains", "Ola-Ola", "Ola-Ola Poundo Yam Flour", "Size", &[("900g", 3_400), ("1.8kg", 6_500)]),
        food("Food/Rice & grains", "Honeywell", "Honeywell Wheat Meal", "Size", &[("1kg", 2_600), ("2kg", 5_000)]),
        food("Food/Rice & grains", "Mama Gold", "Mama Gold Flour", "Size", &[("1kg", 1_650), ("10kg", 15_800)]),
        food("Food/Rice & grains", "Tiger", "Honey Beans (Oloyin)", "Size", &[("1kg", 2_900), ("5kg", 13_900)]),
        food("Food/Rice & grains", "Tiger", "White Garri (Ijebu)", "Size", &[("1kg", 1_300), ("4kg", 4_900)]),
        food("Food/Rice & grains", "Tiger", "Yellow Garri", "Size", &[("1kg", 1_400), ("4kg", 5_300)]),
        food("Food/Noodles & pasta", "Golden Penny", "Golden Penny Spaghetti 500g", "", &[("", 1_150)]),
        food("Food/Noodles & pasta", "Dangote", "Dangote Spaghetti 500g", "", &[("", 1_050)]),
        food("Food/Noodles & pasta", "Golden Penny", "Golden Penny Macaroni 500g", "", &[("", 1_150)]),
        food("Food/Noodles & pasta", "Golden Penny", "Golden Penny Twist 500g", "", &[("", 1_200)]),
        food("Food/Noodles & pasta", "Honeywell", "Honeywell Spaghetti 500g", "", &[("", 1_100)]),
        food(
            "Food/Cooking oil",
            "Kings",
            "Kings Vegetable Oil",
            "Size",
            &[("1L", 3_100), ("3L", 8_900), ("5L", 14_300)],
        ),
        food(
            "Food/Cooking oil",
            "Power Oil",
            "Power Oil Vegetable Oil",
            "Size",
            &[("1L", 3_050), ("3L", 8_700), ("5L", 14_100)],
        ),
        food(
            "Food/Cooking oil",
            "Devon King's",
            "Devon King's Vegetable Oil",
            "Size",
            &[("1L", 3_200), ("5L", 14_800)],
        ),
        food("Food/Cooking oil", "Tiger", "Red Palm Oil", "Size", &[("1L", 2_700), ("4L", 9_800)]),
        food("Food/Spices & seasoning", "Dangote", "Dangote Refined Sugar", "Size", &[("500g", 950), ("1kg", 1_850)]),
        food("Food/Spices & seasoning", "St Louis", "St Louis Sugar Cubes 500g", "", &[("", 1_600)]),
        food("Food/Spices & seasoning", "Dangote", "Dangote Salt 500g", "", &[("", 450)]),
        line(
            "Food/Spices & seasoning",
            "Knorr",
            "Knorr Chicken Cubes",
            "Pack",
            &[("8g x 50", 2_300), ("8g x 100", 4_400)],
        ),
        line("Food/Spices & seasoning", "Maggi", "Maggi Star Cubes", "Pack", &[("4g x 100", 2_600)]),
        line("Food/Spices & seasoning", "Onga", "Onga Stew Seasoning", "Pack", &[("10g x 50", 2_100)]),
        line(
            "Food/Spices & seasoning",
            "Gino",
            "Gino Tomato Paste",
            "Size",
            &[("70g", 380), ("210g", 950), ("400g", 1_700)],
        ),
        line("Food/Spices & seasoning", "Tasty Tom", "Tasty Tom Tomato Mix", "Size", &[("70g", 350), ("210g", 900)]),
        line("Food/Spices & seasoning", "Mr Chef", "Mr Chef Curry Powder 50g", "", &[("", 600)]),
        line("Food/Spices & seasoning", "Mr Chef", "Mr Chef Thyme 50g", "", &[("", 600)]),
        line("Food/Breakfast", "Nestlé", "Golden Morn Cereal", "Size", &[("500g", 2_900), ("900g", 4_900)]),
        line("Food/Breakfast", "Kellogg's", "Kellogg's Corn Flakes 500g", "", &[("", 4_700)]),
        line("Food/Breakfast", "Quaker", "Quaker Oats", "Size", &[("500g", 3_200), ("1kg", 5_900)]),
        line("Food/Breakfast", "Custard", "Checkers Custard Vanilla", "Size", &[("400g", 2_300), ("2kg", 9_900)]),
        line("Food/Breakfast", "Nasco", "Nasco Cornflakes 350g", "", &[("", 2_800)]),
        line("Beverages/Tea & coffee", "Lipton", "Lipton Yellow Label Tea 100 bags", "", &[("", 3_100)]),
        line("Beverages/Tea & coffee", "Top Tea", "Top Tea Lemon 25 bags", "", &[("", 900)]),
        line("Beverages/Tea & coffee", "Nescafé", "Nescafé Classic", "Size", &[("50g", 2_400), ("200g", 8_300)]),
        line(
            "Beverages/Tea & coffee",
            "Milo",
            "Milo Chocolate Drink",
            "Pack",
            &[("400g refill", 3_900), ("800g tin", 8_200)],
        ),
        line(
            "Beverages/Tea & coffee",
            "Bournvita",
            "Cadbury Bournvita",
            "Pack",
            &[("400g refill", 3_700), ("900g refill", 7_600)],
        ),
        line("Beverages/Tea & coffee", "Ovaltine", "Ovaltine Chocolate 400g", "", &[("", 3_500)]),
        line("Dairy", "Peak", "Peak Evaporated Milk 160g", "Pack", &[("single", 600), ("carton of 48", 27_500)]),
        line("Dairy", "Peak", "Peak Full Cream Milk Powder", "Pack", &[("400g refill", 4_300), ("900g tin", 9_800)]),
        line("Dairy", "Dano", "Dano Full Cream Milk Powder 400g", "", &[("", 4_100)]),
        line("Dairy", "Three Crowns", "Three Crowns Filled Milk 400g", "", &[("", 3_300)]),
        line(
            "Dairy",
            "Hollandia",
            "Hollandia Yoghurt",
            "Flavour",
            &[("Plain 1L", 2_900), ("Strawberry 1L", 2_900), ("Vanilla 1L", 2_900)],
        ),
        line(
            "Dairy",
            "Viju",
            "Viju Milk Drink 500ml",
            "Flavour",
            &[("Chocolate", 700), ("Banana", 700), ("Strawberry", 700)],
        ),
        line("Dairy", "Blue Band", "Blue Band Margarine", "Size", &[("250g", 1_500), ("450g", 2_600)]),
        line("Snacks", "Gala", "Gala Sausage Roll", "Pack", &[("single", 300), ("pack of 12", 3_400)]),
        line("Snacks", "Beloxxi", "Beloxxi Cream Crackers", "Pack", &[("single", 250), ("pack of 24", 5_600)]),
        line("Snacks", "McVitie's", "McVitie's Digestive 400g", "", &[("", 2_900)]),
        line("Snacks", "Oxford", "Oxford Cabin Biscuits", "Pack", &[("single", 200), ("pack of 20", 3_800)]),
        line("Snacks", "Pringles", "Pringles Original 165g", "", &[("", 4_200)]),
        line("Snacks", "Tiger", "Plantain Chips 100g", "Flavour", &[("Sweet", 600), ("Spicy", 600), ("Salted", 600)]),
        line("Snacks", "Tiger", "Chin Chin 250g", "", &[("", 1_200)]),
        line("Snacks", "Tiger", "Roasted Groundnuts 250g", "", &[("", 900)]),
        line("Snacks", "Cadbury", "Cadbury Dairy Milk 100g", "", &[("", 2_400)]),
        line("Snacks", "Nestlé", "Kit Kat 4 Finger", "", &[("", 900)]),
        line(
            "Household/Laundry",
            "Ariel",
            "Ariel Washing Powder",
            "Size",
            &[("500g", 1_700), ("900g", 2_950), ("2kg", 6_300)],
        ),
        line("Household/Laundry", "Omo", "Omo Multi-Active Detergent", "Size", &[("500g", 1_500), ("900g", 2_700)]),
        line("Household/Laundry", "Viva", "Viva Plus Detergent", "Size", &[("500g", 1_300), ("1kg", 2_450)]),
        line("Household/Laundry", "Hypo", "Hypo Bleach", "Size", &[("500ml", 900), ("1L", 1_600)]),
        line(
            "Household/Laundry",
            "Morning Fresh",
            "Morning Fresh Dishwashing Liquid",
            "Size",
            &[("450ml", 1_500), ("900ml", 2_800)],
        ),
        line("Household/Cleaning", "Harpic", "Harpic Toilet Cleaner 500ml", "", &[("", 2_200)]),
        line(
            "Household/Cleaning",
            "Dettol",
            "Dettol Antiseptic Liquid",
            "Size",
            &[("250ml", 2_300), ("500ml", 4_200), ("1L", 7_900)],
        ),
        line("Household/Cleaning", "Mortein", "Mortein Insect Killer 600ml", "", &[("", 3_600)]),
        line("Household/Cleaning", "Baygon", "Baygon Mosquito Coil", "Pack", &[("box of 10", 1_100)]),
        line(
            "Household/Paper",
            "Rose",
            "Rose Plus Toilet Roll",
            "Pack",
            &[("pack of 4", 1_900), ("pack of 12", 5_400)],
        ),
        line("Household/Paper", "Tissue", "Softcare Serviettes 100", "", &[("", 800)]),
        line("Household/Paper", "Glad", "Aluminium Foil 7.6m", "", &[("", 2_100)]),
        line("Personal care", "Close-Up", "Close-Up Toothpaste", "Size", &[("70g", 750), ("140g", 1_350)]),
        line("Personal care", "Pepsodent", "Pepsodent Toothpaste 140g", "", &[("", 1_250)]),
        line("Personal care", "Oral-B", "Oral-B Toothbrush Medium", "", &[("", 700)]),
        line("Personal care", "Lux", "Lux Soap 175g", "Scent", &[("Soft Touch", 650), ("Velvet Touch", 650)]),
        line("Personal care", "Joy", "Joy Beauty Soap 175g", "", &[("", 550)]),
        line("Personal care", "Dettol", "Dettol Soap 175g", "Scent", &[("Original", 850), ("Cool", 850)]),
        line("Personal care", "Nivea", "Nivea Body Lotion 400ml", "Scent", &[("Cocoa Butter", 5_200), ("Aloe", 5_200)]),
        line("Personal care", "Vaseline", "Vaseline Petroleum Jelly", "Size", &[("100ml", 1_300), ("250ml", 2_700)]),
        line("Personal care", "Always", "Always Ultra Pads", "Pack", &[("pack of 8", 1_500), ("pack of 16", 2_800)]),
        line(
            "Personal care",
            "Molfix",
            "Molfix Diapers",
            "Size",
            &[("Newborn 40", 9_500), ("Midi 36", 9_900), ("Maxi 32", 10_400)],
        ),
        line("Personal care", "Gillette", "Gillette Blue II Razors 5", "", &[("", 1_600)]),
    ];
    for (flavour, price) in
        [("Chicken", 230), ("Onion Chicken", 230), ("Pepper Chicken", 240), ("Jollof", 240), ("Oriental", 230)]
    {
        lines.push(food(
            "Food/Noodles & pasta",
            "Indomie",
            &format!("Indomie Instant Noodles {flavour} 70g"),
            "Pack",
            &[("single", price), ("carton of 40", price * 38)],
        ));
    }
    for (name, price) in [("Chicken", 250), ("Crayfish", 260), ("Pepper Soup", 260)] {
        lines.push(food(
            "Food/Noodles & pasta",
            "Dangote",
            &format!("Dangote Noodles {name} 120g"),
            "",
            &[("", price)],
        ));
    }
    for (name, brand) in [
        ("Coca-Cola", "Coca-Cola"),
        ("Fanta Orange", "Coca-Cola"),
        ("Sprite", "Coca-Cola"),
        ("Pepsi", "Seven-Up"),
        ("7Up", "Seven-Up"),
        ("Mirinda Orange", "Seven-Up"),
        ("Schweppes Bitter Lemon", "Coca-Cola"),
    ] {
        lines.push(line(
            "Beverages/Soft drinks",
            brand,
            name,
            "Size",
            &[("35cl can", 500), ("50cl PET", 450), ("1L PET", 900), ("crate of 12 x 50cl", 5_200)],
        ));
    }
    for name in ["Maltina", "Malta Guinness", "Amstel Malta", "Hi-Malt"] {
        lines.push(line(
            "Beverages/Malt drinks",
            name.split(' ').next().unwrap_or(name),
            name,
            "Size",
            &[("33cl can", 650), ("pack of 6 cans", 3_700)],
        ));
    }
    for (name, brand) in [
        ("Chivita 100% Orange", "Chivita"),
        ("Chivita 100% Apple", "Chivita"),
        ("Chivita Exotic", "Chivita"),
        ("Five Alive Pulpy Orange", "Five Alive"),
        ("Chi Exotic Pineapple Coconut", "Chivita"),
    ] {
        lines.push(line("Beverages/Juice", brand, name, "Size", &[("315ml", 700), ("1L", 2_300)]));
    }
    for (name, brand, price) in [
        ("Eva Table Water 75cl", "Eva", 300),
        ("Nestlé Pure Life 75cl", "Nestlé", 300),
        ("Aquafina 75cl", "Aquafina", 280),
    ] {
        lines.push(line("Beverages/Water", brand, name, "Pack", &[("single", price), ("pack of 12", price * 11)]));
    }
    lines
}

/// A phone model: its vendor, brand, name, storage options with prices, and colours.
type Phone = (usize, &'static str, &'static str, &'static [(&'static str, i64)], &'static [&'static str]);

#[expect(clippy::too_many_lines, reason = "a table of demo data, one line a product")]
fn phones_and_accessories() -> Vec<Line> {
    // (vendor, brand, model, storage options with prices, colours)
    let phones: [Phone; 16] = [
        (0, "Tecno", "Tecno Spark 20", &[("128GB", 189_000), ("256GB", 214_000)], &["Gravity Black", "Cyber White"]),
        (
            0,
            "Tecno",
            "Tecno Camon 30",
            &[("256GB", 385_000), ("512GB", 439_000)],
            &["Basaltic Dark", "Uyuni Salt White"],
        ),
        (0, "Tecno", "Tecno Pova 6 Pro", &[("256GB", 412_000)], &["Meteorite Grey", "Comet Green"]),
        (0, "Infinix", "Infinix Hot 40i", &[("128GB", 172_000), ("256GB", 196_000)], &["Starlit Black", "Palm Blue"]),
        (0, "Infinix", "Infinix Note 40", &[("256GB", 338_000)], &["Obsidian Black", "Vintage Green"]),
        (0, "itel", "itel A70", &[("64GB", 98_000), ("128GB", 112_000)], &["Starlish Black", "Field Green"]),
        (0, "itel", "itel S24", &[("128GB", 158_000)], &["Starry Black", "Dawn White"]),
        (3, "Samsung", "Samsung Galaxy A15", &[("128GB", 268_000), ("256GB", 309_000)], &["Blue Black", "Light Blue"]),
        (3, "Samsung", "Samsung Galaxy A25 5G", &[("128GB", 389_000), ("256GB", 431_000)], &["Blue Black", "Yellow"]),
        (
            3,
            "Samsung",
            "Samsung Galaxy A35 5G",
            &[("128GB", 529_000), ("256GB", 585_000)],
            &["Awesome Navy", "Awesome Lilac"],
        ),
        (3, "Xiaomi", "Redmi 13C", &[("128GB", 179_000), ("256GB", 205_000)], &["Midnight Black", "Clover Green"]),
        (3, "Xiaomi", "Redmi Note 13", &[("256GB", 349_000)], &["Midnight Black", "Ice Blue"]),
        (3, "Apple", "iPhone 13 (UK used)", &[("128GB", 720_000), ("256GB", 820_000)], &["Midnight", "Blue"]),
        (3, "Apple", "iPhone 14", &[("128GB", 1_150_000), ("256GB", 1_320_000)], &["Midnight", "Purple"]),
        (3, "Apple", "iPhone 15", &[("128GB", 1_480_000), ("256GB", 1_690_000)], &["Black", "Pink"]),
        (0, "Nokia", "Nokia 105 (2023)", &[("Single SIM", 21_000), ("Dual SIM", 24_000)], &["Charcoal"]),
    ];
    let mut lines = Vec::new();
    for (vendor, brand, model, storage, colours) in phones {
        let mut variants = Vec::new();
        for (size, price) in storage {
            for colour in colours {
                variants.push((format!("{size}|{colour}"), *price));
            }
        }
        lines.push(Line {
            category: "Phones/Smartphones",
            brand,
            name: model.to_owned(),
            option: "Storage|Colour",
            variants,
            tax: TaxClass::Standard,
            vendor,
        });
        let short = model.trim_end_matches(" (UK used)");
        lines.push(Line {
            vendor: 1,
            ..line(
                "Accessories/Cases & protection",
                "Generic",
                &format!("Shockproof Case for {short}"),
                "Colour",
                &[("Clear", 3_500), ("Black", 3_500)],
            )
        });
        lines.push(Line {
            vendor: 1,
            ..line(
                "Accessories/Cases & protection",
                "Generic",
                &format!("Tempered Glass Screen Guard for {short}"),
                "",
                &[("", 2_500)],
            )
        });
    }
    let accessories: Vec<Line> = vec![
        line("Accessories/Audio", "Oraimo", "Oraimo FreePods 4", "Colour", &[("Black", 27_500), ("White", 27_500)]),
        line("Accessories/Audio", "Oraimo", "Oraimo FreePods Lite", "Colour", &[("Black", 16_900), ("Blue", 16_900)]),
        line("Accessories/Audio", "Oraimo", "Oraimo Necklace 3 Neckband", "", &[("", 11_500)]),
        line("Accessories/Audio", "JBL", "JBL Tune 520BT Headphones", "Colour", &[("Black", 58_000), ("Blue", 58_000)]),
        line("Accessories/Audio", "JBL", "JBL Go 3 Speaker", "Colour", &[("Black", 45_000), ("Red", 45_000)]),
        line("Accessories/Audio", "Apple", "Apple AirPods (3rd generation)", "", &[("", 245_000)]),
        line(
            "Accessories/Power",
            "Oraimo",
            "Oraimo Traveler Power Bank",
            "Capacity",
            &[("10000mAh", 14_500), ("20000mAh", 23_500), ("27000mAh", 31_000)],
        ),
        line(
            "Accessories/Power",
            "New Age",
            "New Age Power Bank",
            "Capacity",
            &[("10000mAh", 11_000), ("20000mAh", 17_500)],
        ),
        line("Accessories/Power", "Oraimo", "Oraimo 20W Fast Charger", "Plug", &[("UK 3-pin", 7_500)]),
        line("Accessories/Power", "Samsung", "Samsung 25W Super Fast Charger", "Plug", &[("UK 3-pin", 18_500)]),
        line("Accessories/Power", "Apple", "Apple 20W USB-C Power Adapter", "Plug", &[("UK 3-pin", 29_000)]),
        line("Accessories/Cables", "Oraimo", "Oraimo USB-C Cable", "Length", &[("1m", 3_200), ("2m", 4_500)]),
        line("Accessories/Cables", "Oraimo", "Oraimo Lightning Cable 1m", "", &[("", 4_800)]),
        line("Accessories/Cables", "Oraimo", "Oraimo Micro USB Cable 1m", "", &[("", 2_500)]),
        line(
            "Accessories/Cables",
            "Anker",
            "Anker PowerLine III USB-C to USB-C",
            "Length",
            &[("0.9m", 9_500), ("1.8m", 12_000)],
        ),
        line(
            "Accessories/Storage",
            "SanDisk",
            "SanDisk Ultra microSD",
            "Capacity",
            &[("32GB", 6_500), ("64GB", 9_800), ("128GB", 16_500)],
        ),
        line(
            "Accessories/Storage",
            "SanDisk",
            "SanDisk Ultra Flair USB 3.0",
            "Capacity",
            &[("32GB", 7_200), ("64GB", 10_500)],
        ),
        line(
            "Accessories/Wearables",
            "Oraimo",
            "Oraimo Watch 4 Plus",
            "Colour",
            &[("Black", 33_000), ("Silver", 33_000)],
        ),
        line("Accessories/Wearables", "Xiaomi", "Xiaomi Smart Band 8", "", &[("", 42_000)]),
        line("Laptops", "HP", "HP 250 G9 Laptop", "Spec", &[("i3 8GB 256GB", 545_000), ("i5 8GB 512GB", 685_000)]),
        line(
            "Laptops",
            "Lenovo",
            "Lenovo IdeaPad 1",
            "Spec",
            &[("Celeron 4GB 128GB", 315_000), ("Ryzen 5 8GB 512GB", 598_000)],
        ),
        line("Laptops", "Dell", "Dell Latitude 5490 (UK used)", "Spec", &[("i5 8GB 256GB", 365_000)]),
        line("Laptops", "Apple", "MacBook Air M1", "Spec", &[("8GB 256GB", 1_150_000)]),
        line("Laptops", "Generic", "Laptop Bag 15.6\"", "Colour", &[("Black", 12_500), ("Grey", 12_500)]),
        line("Laptops", "Logitech", "Logitech M185 Wireless Mouse", "", &[("", 9_500)]),
    ];
    for (i, mut accessory) in accessories.into_iter().enumerate() {
        accessory.vendor = if accessory.category == "Laptops" { 2 } else { [1, 3][i % 2] };
        lines.push(accessory);
    }
    lines
}

/// Loads both catalogs with stock; `staff` names the owners the changes are recorded against.
pub(super) async fn load(c: &mut PgConnection) -> Result<(), Error> {
    let (mut serial, mut product_no) = (0_u64, 0_u32);
    for (slug, lines) in [(super::SHOP.slug, supermarket()), (super::MARKETPLACE.slug, phones_and_accessories())] {
        let tenant =
            sqlx::query!("SELECT t.id, t.name FROM tenants t WHERE t.slug = $1", slug).fetch_one(&mut *c).await?;
        let tenant_id = TenantId(tenant.id);
        let owner = sqlx::query!(
            "SELECT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
              WHERE m.tenant_id = $1 AND m.role = 'owner' ORDER BY u.email LIMIT 1",
            tenant.id
        )
        .fetch_one(&mut *c)
        .await?;
        let actor = Actor::Staff(StaffMember {
            user: owner.id,
            name: owner.name,
            email: owner.email,
            tenant: tenant_id,
            tenant_name: tenant.name,
            role: crate::base::Role::Owner,
            vendor: None,
            shops: crate::base::Shops::All,
            platform_admin: false,
            zone: crate::base::Zone::default(),
        });
        let vendors: Vec<Uuid> =
            sqlx::query_scalar!("SELECT id FROM vendors WHERE tenant_id = $1 ORDER BY created_at, id", tenant.id)
                .fetch_all(&mut *c)
                .await?;
        let mut categories: Vec<(String, CategoryId)> = Vec::new();
        for line in lines {
            let category = category(c, tenant_id, &mut categories, line.category).await?;
            let options: Vec<String> =
                if line.option.is_empty() { Vec::new() } else { line.option.split('|').map(str::to_owned).collect() };
            product_no += 1;
            let prefix = format!("{}{product_no:03}", sku_prefix(&line.name));
            let variants = line
                .variants
                .iter()
                .map(|(value, price)| {
                    serial += 1;
                    let values: Vec<String> =
                        if options.is_empty() { Vec::new() } else { value.split('|').map(str::to_owned).collect() };
                    let suffix: String = values.iter().map(|v| value_code(v)).collect::<Vec<_>>().join("-");
                    let sku = if suffix.is_empty() { prefix.clone() } else { format!("{prefix}-{suffix}") };
                    VariantInput {
                        sku,
                        barcode: barcode::ean13(&format!("615{serial:09}")).unwrap_or_default(),
                        option_values: values,
                        price: Decimal::from(*price),
                        cost: Some(Decimal::from(*price) * Decimal::new(78, 2)),
                        weight_grams: Some(weight_of(value)),
                        ..VariantInput::default()
                    }
                })
                .collect();
            let input = ProductInput {
                name: line.name.clone(),
                description: describe(&line),
                brand: line.brand.to_owned(),
                category: Some(category),
                status: ProductStatus::Active,
                tax_class: line.tax,
                options,
                variants,
                vendor: Keep::To(
                    vendors.get(line.vendor).copied().filter(|_| slug == super::MARKETPLACE.slug).map(VendorId),
                ),
                featured: Keep::Unchanged,
            }
            .checked()?;
            let product = crate::catalog::product::save(c, tenant_id, &actor, None, &input).await?;
            let saved: Vec<Uuid> = sqlx::query_scalar!(
                "SELECT id FROM variants WHERE tenant_id = $1 AND product_id = $2 ORDER BY position",
                tenant.id,
                product.0
            )
            .fetch_all(&mut *c)
            .await?;
            let places = places_of(c, tenant_id, input.vendor.or(None)).await?;
            for (variant, input) in saved.iter().zip(&input.variants) {
                stock_up(c, tenant_id, &actor, crate::catalog::VariantId(*variant), input, &places).await?;
            }
        }
        // Six products spread over the catalog on the home page, so each store opens with a row
        // of them and has room for the merchant's own choices.
        sqlx::query!(
            "UPDATE products p SET featured = true
               FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM products WHERE tenant_id = $1) o
              WHERE p.tenant_id = $1 AND p.id = o.id AND o.n % 15 = 1 AND o.n < 90",
            tenant.id
        )
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Where a product's stock is kept: a vendor's at its own place, the business's own products at
/// its shops and warehouses.
async fn places_of(c: &mut PgConnection, tenant: TenantId, vendor: Option<VendorId>) -> Result<Vec<Uuid>, Error> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM locations WHERE tenant_id = $1 AND vendor_id IS NOT DISTINCT FROM $2 ORDER BY name",
        tenant.0,
        vendor.map(|v| v.0)
    )
    .fetch_all(&mut *c)
    .await?)
}

/// Opening stock of a variant at each location (some low, a few none), with reorder points.
async fn stock_up(
    c: &mut PgConnection,
    tenant: TenantId,
    actor: &Actor,
    variant: crate::catalog::VariantId,
    input: &VariantInput,
    locations: &[Uuid],
) -> Result<(), Error> {
    for (n, location) in locations.iter().enumerate() {
        let units = opening_stock(&input.sku, n);
        if units > 0 {
            let m = crate::inventory::ledger::Move {
                variant,
                location: LocationId(*location),
                quantity: units,
                reason: MovementReason::Receipt,
                reference: "opening stock",
                unit_cost: input.cost,
                note: "",
            };
            crate::inventory::ledger::apply(c, tenant, actor, m).await?;
        }
        let reorder = (units / 4).clamp(2, 20);
        crate::inventory::stock::upsert_reorder(c, tenant, variant, LocationId(*location), reorder, reorder * 4)
            .await?;
    }
    Ok(())
}

/// The category at `path` ("Food/Rice & grains"), made (with its parents) when missing.
async fn category(
    c: &mut PgConnection,
    tenant: TenantId,
    made: &mut Vec<(String, CategoryId)>,
    path: &str,
) -> Result<CategoryId, Error> {
    let mut parent: Option<CategoryId> = None;
    let mut so_far = String::new();
    for part in path.split('/') {
        so_far = if so_far.is_empty() { part.to_owned() } else { format!("{so_far}/{part}") };
        if let Some((_, id)) = made.iter().find(|(p, _)| *p == so_far) {
            parent = Some(*id);
            continue;
        }
        let id = CategoryId(Uuid::now_v7());
        sqlx::query!(
            "INSERT INTO categories (tenant_id, id, parent_id, name) VALUES ($1, $2, $3, $4)",
            tenant.0,
            id.0,
            parent.map(|p| p.0),
            part
        )
        .execute(&mut *c)
        .await?;
        made.push((so_far.clone(), id));
        parent = Some(id);
    }
    parent.ok_or(Error::Internal)
}

/// Up to four capitals and digits from the words of a name: "Mama's Pride Parboiled Rice" → "MPPR".
fn sku_prefix(name: &str) -> String {
    let letters: String = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| if w.chars().all(|c| c.is_ascii_digit()) { w.to_owned() } else { w[..1].to_uppercase() })
        .collect();
    letters.chars().take(6).collect()
}

/// An option value as it goes into a SKU: "Gravity Black" → "GRAVITYB", "5kg" → "5KG".
fn value_code(value: &str) -> String {
    value.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).take(8).collect()
}

/// A believable opening quantity, different per item and location but the same every load;
/// about one item in twelve starts low and one in thirty is out of stock somewhere.
fn opening_stock(sku: &str, location: usize) -> i32 {
    let hash = sku.bytes().fold(2_166_136_261_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619));
    let hash = hash.rotate_left(u32::try_from(location * 7).unwrap_or(0));
    match hash % 30 {
        0 => 0,
        1 | 2 => i32::try_from(hash % 4).unwrap_or(1) + 1,
        _ => i32::try_from(hash % 90).unwrap_or(0) + 12,
    }
}

/// A shipping weight from the size in the option's value ("5kg", "50cl", "1L"), or a small
/// parcel's when the value is not a size.
fn weight_of(value: &str) -> i32 {
    let lower = value.to_lowercase();
    let number: String = lower.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let unit: String = lower[number.len()..].chars().take_while(char::is_ascii_alphabetic).collect();
    let number: f64 = number.parse().unwrap_or(0.0);
    let grams = match unit.as_str() {
        "kg" | "l" => number * 1000.0,
        "cl" => number * 10.0,
        "g" | "ml" => number,
        _ => 250.0,
    };
    #[expect(clippy::cast_possible_truncation, reason = "clamped to a small range first")]
    let grams = grams.round().clamp(50.0, 60_000.0) as i32;
    grams
}

fn describe(line: &Line) -> String {
    let sizes: Vec<&str> = line.variants.iter().map(|(v, _)| v.as_str()).filter(|v| !v.is_empty()).collect();
    let range =
        if sizes.is_empty() { String::new() } else { format!(" Available as {}.", sizes.join(", ").replace('|', " ")) };
    format!("{} by {}.{range}", line.name, line.brand)
}
