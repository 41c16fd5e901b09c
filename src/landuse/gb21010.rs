//! The `gb21010` preset: China's land-use status classification,
//! *Current land use classification* GB/T 21010-2017 (土地利用现状分类), the
//! vocabulary of the Third National Land Survey (第三次全国国土调查, 三调),
//! whose parcel layers (地类图斑, `DLTB`) carry the code in `DLBM`
//! (地类编码, the preset's default field).
//!
//! Sources of the rows below: the first- and second-level codes of
//! GB/T 21010-2017 table 1; the survey's own working codes (`05H1`, `0508`,
//! `08H1`, `08H2`, `08H2A`, `0810A`, `1104A`, `1107A`) from the *Third
//! National Land Survey working classification* (第三次全国国土调查工作分类,
//! 2019), which merges or splits some classes of the standard; and the
//! survey's `K` suffix (可调整地类: farmland turned to orchard, forest, grass
//! or fish pond that can be farmed again), which keeps the class of its code.
//! Each class follows the GB 50137-2011 major class the code corresponds to
//! (the `gb50137` preset's mapping, SPEC §1):
//!
//! - farmland, orchards, forest, grassland, wetland, facility farmland, field
//!   banks and bare land (01–04, 1108, 1202–1207) are `ecological` (GB 50137
//!   E2 agricultural and E9 other non-construction land);
//! - water surfaces, ditches, flats and glaciers (1101–1107, 1110) are
//!   `water` (E1);
//! - `1201` idle land (空闲地: unused land inside towns, villages and works)
//!   is `vacant`: construction land waiting for a use, the stock a plan
//!   repurposes;
//! - military, embassy, prison and scenic-facility land (0901–0903, 0906)
//!   is unmapped, as GB 50137 puts it in H4 (special) or H9 (other), classes
//!   a plan cannot work with;
//! - a first-level code alone maps only when all its second-level codes map
//!   to one class (`07` residential, `10` transport); `06`, `08`, `09`, `11`
//!   and `12` mix classes and are unmapped.
//!
//! Codes are read case-insensitively with blanks ignored. A JSON number lost
//! its leading zero, so `101` read as a number is `0101`; text of odd length
//! (`"101"`) is unmapped, since the 2007 edition used three-digit codes
//! (`101` was railway land there).

use crate::landuse::value::{self, Props};
use crate::landuse::PresetOutcome;
use crate::LandUse;

use LandUse::*;

/// Every code of the standard and of the survey's working classification:
/// (code, 名称, class; `None` for a code deliberately left unmapped).
pub(crate) const CODES: &[(&str, &str, Option<LandUse>)] = &[
    // 01 耕地 farmland (E2)
    ("01", "耕地", Some(Ecological)),
    ("0101", "水田", Some(Ecological)),
    ("0102", "水浇地", Some(Ecological)),
    ("0103", "旱地", Some(Ecological)),
    // 02 园地 orchards and plantations (E2)
    ("02", "园地", Some(Ecological)),
    ("0201", "果园", Some(Ecological)),
    ("0202", "茶园", Some(Ecological)),
    ("0203", "橡胶园", Some(Ecological)),
    ("0204", "其他园地", Some(Ecological)),
    // 03 林地 forest (E2)
    ("03", "林地", Some(Ecological)),
    ("0301", "乔木林地", Some(Ecological)),
    ("0302", "竹林地", Some(Ecological)),
    ("0303", "红树林地", Some(Ecological)),
    ("0304", "森林沼泽", Some(Ecological)),
    ("0305", "灌木林地", Some(Ecological)),
    ("0306", "灌丛沼泽", Some(Ecological)),
    ("0307", "其他林地", Some(Ecological)),
    // 04 草地 grassland (E2, E9)
    ("04", "草地", Some(Ecological)),
    ("0401", "天然牧草地", Some(Ecological)),
    ("0402", "沼泽草地", Some(Ecological)),
    ("0403", "人工牧草地", Some(Ecological)),
    ("0404", "其他草地", Some(Ecological)),
    // 05 商服用地 commerce and services (B)
    ("05", "商服用地", Some(Commercial)),
    ("0501", "零售商业用地", Some(Commercial)),
    ("0502", "批发市场用地", Some(Commercial)),
    ("0503", "餐饮用地", Some(Commercial)),
    ("0504", "旅馆用地", Some(Commercial)),
    ("0505", "商务金融用地", Some(Commercial)),
    ("0506", "娱乐用地", Some(Commercial)),
    ("0507", "其他商服用地", Some(Commercial)),
    ("05H1", "商业服务业设施用地 (三调)", Some(Commercial)),
    // 0508: the survey moved warehouses out of 06 into commerce's first-level class
    ("0508", "物流仓储用地 (三调)", Some(Logistics)),
    // 06 工矿仓储用地 industry, mining and storage (M, W, H5): mixed
    ("06", "工矿仓储用地", None),
    ("0601", "工业用地", Some(Industrial)),
    // mining land: extractive industry (GB 50137 H5, which the gb50137 preset maps to industrial)
    ("0602", "采矿用地", Some(Industrial)),
    // salt pans: production land of the salt works, in the industry and mining group
    ("0603", "盐田", Some(Industrial)),
    ("0604", "仓储用地", Some(Logistics)),
    // 07 住宅用地 housing (R; H14 village homesteads)
    ("07", "住宅用地", Some(Residential)),
    ("0701", "城镇住宅用地", Some(Residential)),
    ("0702", "农村宅基地", Some(Residential)),
    // 08 公共管理与公共服务用地 public administration and services (A, U, G): mixed
    ("08", "公共管理与公共服务用地", None),
    ("0801", "机关团体用地", Some(Public)),
    ("0802", "新闻出版用地", Some(Public)),
    ("0803", "教育用地", Some(Public)),
    ("0804", "科研用地", Some(Public)),
    ("0805", "医疗卫生用地", Some(Public)),
    ("0806", "社会福利用地", Some(Public)),
    ("0807", "文化设施用地", Some(Public)),
    ("0808", "体育用地", Some(Public)),
    ("0809", "公用设施用地", Some(Utility)),
    ("0810", "公园与绿地", Some(Green)),
    ("08H1", "机关团体新闻出版用地 (三调)", Some(Public)),
    ("08H2", "科教文卫用地 (三调)", Some(Public)),
    ("08H2A", "高教用地 (三调)", Some(Public)),
    // squares are part of G in GB 50137 (G3) and of SPEC's `green`
    ("0810A", "广场用地 (三调)", Some(Green)),
    // 09 特殊用地 special land (H4, H9, A9, U): mixed
    ("09", "特殊用地", None),
    ("0901", "军事设施用地", None),
    ("0902", "使领馆用地", None),
    ("0903", "监教场所用地", None),
    // religious sites are A9 in GB 50137
    ("0904", "宗教用地", Some(Public)),
    // cemeteries and funeral sites: green, as the osm preset reads landuse=cemetery
    ("0905", "殡葬用地", Some(Green)),
    ("0906", "风景名胜设施用地", None),
    // 10 交通运输用地 transport (S, H2)
    ("10", "交通运输用地", Some(Transport)),
    ("1001", "铁路用地", Some(Transport)),
    ("1002", "轨道交通用地", Some(Transport)),
    ("1003", "公路用地", Some(Transport)),
    ("1004", "城镇村道路用地", Some(Transport)),
    ("1005", "交通服务场站用地", Some(Transport)),
    ("1006", "农村道路", Some(Transport)),
    ("1007", "机场用地", Some(Transport)),
    ("1008", "港口码头用地", Some(Transport)),
    ("1009", "管道运输用地", Some(Transport)),
    // 11 水域及水利设施用地 water and water works (E1, E9, H3): mixed
    ("11", "水域及水利设施用地", None),
    ("1101", "河流水面", Some(Water)),
    ("1102", "湖泊水面", Some(Water)),
    ("1103", "水库水面", Some(Water)),
    ("1104", "坑塘水面", Some(Water)),
    ("1104A", "养殖坑塘 (三调)", Some(Water)),
    // GB 50137 E11 natural water includes flats and glaciers
    ("1105", "沿海滩涂", Some(Water)),
    ("1106", "内陆滩涂", Some(Water)),
    ("1107", "沟渠", Some(Water)),
    ("1107A", "干渠 (三调)", Some(Water)),
    // swamps are wetland: SPEC's ecological
    ("1108", "沼泽地", Some(Ecological)),
    // dams, sluices, pumping stations: water utilities (H3)
    ("1109", "水工建筑用地", Some(Utility)),
    ("1110", "冰川及永久积雪", Some(Water)),
    // 12 其他土地 other land (E9, E2; idle land): mixed
    ("12", "其他土地", None),
    ("1201", "空闲地", Some(Vacant)),
    ("1202", "设施农用地", Some(Ecological)),
    ("1203", "田坎", Some(Ecological)),
    ("1204", "盐碱地", Some(Ecological)),
    ("1205", "沙地", Some(Ecological)),
    ("1206", "裸土地", Some(Ecological)),
    ("1207", "裸岩石砾地", Some(Ecological)),
];

/// The class of one code, or `None` when unmapped.
pub(crate) fn class_of(code: &str) -> Option<LandUse> {
    let code = code.trim().to_ascii_uppercase();
    // 可调整地类: the K marks farmland that can be restored; the class is the code's
    let code = match code.strip_suffix('K') {
        Some(c) if c.len() == 4 => c,
        _ => code.as_str(),
    };
    CODES.iter().find(|(c, _, _)| *c == code).and_then(|r| r.2)
}

pub(crate) fn classify(props: &Props, field: &str) -> PresetOutcome {
    PresetOutcome::from_code_value(props, field, value::code_text, class_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_codes_of_the_issue_map_to_their_classes() {
        for (code, class) in [
            ("0101", Ecological),
            ("0301", Ecological),
            ("0601", Industrial),
            ("0602", Industrial),
            ("1201", Vacant),
            ("0701", Residential),
            ("0810", Green),
            ("0604", Logistics),
            ("0508", Logistics),
            ("1101", Water),
            ("1108", Ecological),
            ("0809", Utility),
            ("08h2a", Public),
            ("0810A", Green),
            ("1003", Transport),
            ("07", Residential),
            ("05", Commercial),
        ] {
            assert_eq!(class_of(code), Some(class), "{code}");
        }
    }

    #[test]
    fn mixed_first_level_and_special_codes_are_unmapped() {
        for code in [
            "06", "08", "09", "11", "12", "0901", "0906", "13", "0605", "", "DLBM",
        ] {
            assert_eq!(class_of(code), None, "{code}");
        }
    }

    #[test]
    fn the_adjustable_suffix_keeps_the_class() {
        assert_eq!(class_of("0201K"), Some(Ecological));
        assert_eq!(class_of("1104k"), Some(Water));
        assert_eq!(class_of("0601K"), Some(Industrial));
        assert_eq!(class_of("07K"), None, "K marks second-level codes only");
    }

    #[test]
    fn every_row_is_a_code_of_two_or_four_digits_and_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (code, name, _) in CODES {
            assert!(seen.insert(*code), "{code} twice");
            assert!(!name.is_empty());
            let digits: String = code.chars().take_while(|c| c.is_ascii_digit()).collect();
            assert!(digits.len() == 2 || digits.len() == 4, "{code}");
            // a second-level code belongs to its first-level class
            assert!(
                CODES.iter().any(|(c, _, _)| *c == &code[..2]),
                "{code} has no first-level row"
            );
        }
    }

    #[test]
    fn numbers_get_their_leading_zero_back_and_odd_text_is_not_a_code() {
        for (v, class) in [
            (json!(101), Some(Ecological)),
            (json!(601.0), Some(Industrial)),
            (json!(1201), Some(Vacant)),
            (json!(7), Some(Residential)),
            (json!("101"), None),
            (json!(" 0601 "), Some(Industrial)),
        ] {
            let p = json!({ "DLBM": v }).as_object().unwrap().clone();
            assert_eq!(classify(&p, "DLBM").land_use.ok(), class, "{v}");
        }
        let p = json!({"DLBM": "0901"}).as_object().unwrap().clone();
        assert_eq!(classify(&p, "DLBM").land_use, Err("DLBM=0901".into()));
    }
}
