//! The `ydyh` preset: the land- and sea-use classification of territorial
//! spatial planning (用地用海分类), from the Ministry of Natural Resources'
//! *Guidelines for land and sea use classification in territorial spatial
//! survey, planning and use control* (国土空间调查、规划、用途管制用地用海分类
//! 指南, 自然资发〔2023〕234号, 2023). Planning layers (规划用地) carry the
//! code in `YDYHFLDM` (用地用海分类代码, the preset's default field), status
//! layers (现状用地) often in `DLBM`.
//!
//! Source of the rows below: the guideline's table of first-level (2-digit)
//! and second-level (4-digit) classes; third-level codes (6 digits, e.g.
//! `070101` 一类城镇住宅用地, `100102` 二类工业用地) take the class of their
//! second-level code. Each class follows the GB 50137-2011 major class it
//! corresponds to (the `gb50137` preset, SPEC §1):
//!
//! - 01–05 farmland, orchards, forest, grassland and wetland, 06 agricultural
//!   facility land and 23's bare and field land are `ecological` (GB 50137
//!   E2 and E9, wetland in SPEC's ecological);
//! - 17 inland water is `water` (E1), and so are the sea uses 18–22 and 24:
//!   sea areas are not land a city can convert;
//! - 16 reserved land (留白用地, kept without a use for the plan period) and
//!   `2301` idle land (空闲地) are `vacant`;
//! - military, embassy, prison and other special land (1501, 1502, 1505,
//!   1507) is unmapped, as GB 50137 H4 is;
//! - a code of a first-level class whose every second-level class maps to
//!   one class (07 residential, 10 industrial, 14 green …) maps by its first
//!   two digits, so local sub-codes map too; 15 and 23 mix classes and map
//!   only through their listed second-level codes.
//!
//! Codes are read like those of `gb21010`: case and blanks ignored, a JSON
//! number's lost leading zero restored (`701` → `0701`), text of odd length
//! unmapped.

use crate::landuse::value::{self, Props};
use crate::landuse::PresetOutcome;
use crate::LandUse;

use LandUse::*;

/// (code, 名称, class; `None` for a code deliberately left unmapped).
pub(crate) const CODES: &[(&str, &str, Option<LandUse>)] = &[
    ("01", "耕地", Some(Ecological)),
    ("0101", "水田", Some(Ecological)),
    ("0102", "水浇地", Some(Ecological)),
    ("0103", "旱地", Some(Ecological)),
    ("02", "园地", Some(Ecological)),
    ("0201", "果园", Some(Ecological)),
    ("0202", "茶园", Some(Ecological)),
    ("0203", "橡胶园地", Some(Ecological)),
    ("0204", "其他园地", Some(Ecological)),
    ("03", "林地", Some(Ecological)),
    ("0301", "乔木林地", Some(Ecological)),
    ("0302", "竹林地", Some(Ecological)),
    ("0303", "灌木林地", Some(Ecological)),
    ("0304", "其他林地", Some(Ecological)),
    ("04", "草地", Some(Ecological)),
    ("0401", "天然牧草地", Some(Ecological)),
    ("0402", "人工牧草地", Some(Ecological)),
    ("0403", "其他草地", Some(Ecological)),
    // 05 wetland, tidal flats included (GB 50137 counts flats as E1; both are non-construction)
    ("05", "湿地", Some(Ecological)),
    ("0501", "森林沼泽", Some(Ecological)),
    ("0502", "灌丛沼泽", Some(Ecological)),
    ("0503", "沼泽草地", Some(Ecological)),
    ("0504", "其他沼泽地", Some(Ecological)),
    ("0505", "沿海滩涂", Some(Ecological)),
    ("0506", "内陆滩涂", Some(Ecological)),
    ("0507", "红树林地", Some(Ecological)),
    // 06 farm roads and facility farmland: GB 50137 E2 (agricultural land)
    ("06", "农业设施建设用地", Some(Ecological)),
    ("0601", "乡村道路用地", Some(Ecological)),
    ("0602", "种植设施建设用地", Some(Ecological)),
    ("0603", "畜禽养殖设施建设用地", Some(Ecological)),
    ("0604", "水产养殖设施建设用地", Some(Ecological)),
    // 07 housing with its community services (GB 50137 R and its R12/R22 service land; H14)
    ("07", "居住用地", Some(Residential)),
    ("0701", "城镇住宅用地", Some(Residential)),
    ("0702", "城镇社区服务设施用地", Some(Residential)),
    ("0703", "农村宅基地", Some(Residential)),
    ("0704", "农村社区服务设施用地", Some(Residential)),
    ("08", "公共管理与公共服务用地", Some(Public)),
    ("0801", "机关团体用地", Some(Public)),
    ("0802", "科研用地", Some(Public)),
    ("0803", "文化用地", Some(Public)),
    ("0804", "教育用地", Some(Public)),
    ("0805", "体育用地", Some(Public)),
    ("0806", "医疗卫生用地", Some(Public)),
    ("0807", "社会福利用地", Some(Public)),
    ("09", "商业服务业用地", Some(Commercial)),
    ("0901", "商业用地", Some(Commercial)),
    ("0902", "商务金融用地", Some(Commercial)),
    ("0903", "娱乐康体用地", Some(Commercial)),
    ("0904", "其他商业服务业用地", Some(Commercial)),
    // 10 industry and mining (GB 50137 M and H5, as the gb50137 preset maps them)
    ("10", "工矿用地", Some(Industrial)),
    ("1001", "工业用地", Some(Industrial)),
    ("1002", "采矿用地", Some(Industrial)),
    ("1003", "盐田", Some(Industrial)),
    ("11", "仓储用地", Some(Logistics)),
    ("1101", "物流仓储用地", Some(Logistics)),
    ("1102", "储备库用地", Some(Logistics)),
    ("12", "交通运输用地", Some(Transport)),
    ("1201", "铁路用地", Some(Transport)),
    ("1202", "公路用地", Some(Transport)),
    ("1203", "机场用地", Some(Transport)),
    ("1204", "港口码头用地", Some(Transport)),
    ("1205", "管道运输用地", Some(Transport)),
    ("1206", "城市轨道交通用地", Some(Transport)),
    ("1207", "城镇村道路用地", Some(Transport)),
    ("1208", "交通场站用地", Some(Transport)),
    ("1209", "其他交通设施用地", Some(Transport)),
    ("13", "公用设施用地", Some(Utility)),
    ("1301", "供水用地", Some(Utility)),
    ("1302", "排水用地", Some(Utility)),
    ("1303", "供电用地", Some(Utility)),
    ("1304", "供燃气用地", Some(Utility)),
    ("1305", "供热用地", Some(Utility)),
    ("1306", "通信用地", Some(Utility)),
    ("1307", "邮政用地", Some(Utility)),
    ("1308", "广播电视设施用地", Some(Utility)),
    ("1309", "环卫用地", Some(Utility)),
    ("1310", "消防用地", Some(Utility)),
    ("1311", "水工设施用地", Some(Utility)),
    ("1312", "其他公用设施用地", Some(Utility)),
    // 14 parks, protective green and squares: GB 50137 G1–G3
    ("14", "绿地与开敞空间用地", Some(Green)),
    ("1401", "公园绿地", Some(Green)),
    ("1402", "防护绿地", Some(Green)),
    ("1403", "广场用地", Some(Green)),
    ("15", "特殊用地", None),
    ("1501", "军事设施用地", None),
    ("1502", "使领馆用地", None),
    // religious sites and heritage sites: GB 50137 A9 and A7
    ("1503", "宗教用地", Some(Public)),
    ("1504", "文物古迹用地", Some(Public)),
    ("1505", "监教场所用地", None),
    // cemeteries and funeral sites: green, as the osm preset and gb21010 read them
    ("1506", "殡葬用地", Some(Green)),
    ("1507", "其他特殊用地", None),
    ("16", "留白用地", Some(Vacant)),
    ("17", "陆地水域", Some(Water)),
    ("1701", "河流水面", Some(Water)),
    ("1702", "湖泊水面", Some(Water)),
    ("1703", "水库水面", Some(Water)),
    ("1704", "坑塘水面", Some(Water)),
    ("1705", "沟渠", Some(Water)),
    ("1706", "冰川及常年积雪", Some(Water)),
    ("18", "渔业用海", Some(Water)),
    ("19", "工矿通信用海", Some(Water)),
    ("20", "交通运输用海", Some(Water)),
    ("21", "游憩用海", Some(Water)),
    ("22", "特殊用海", Some(Water)),
    ("23", "其他土地", None),
    ("2301", "空闲地", Some(Vacant)),
    ("2302", "田坎", Some(Ecological)),
    ("2303", "田间道", Some(Ecological)),
    ("2304", "盐碱地", Some(Ecological)),
    ("2305", "沙地", Some(Ecological)),
    ("2306", "裸土地", Some(Ecological)),
    ("2307", "裸岩石砾地", Some(Ecological)),
    ("24", "其他海域", Some(Water)),
];

fn row(code: &str) -> Option<Option<LandUse>> {
    CODES.iter().find(|(c, _, _)| *c == code).map(|r| r.2)
}

/// The class of one code, or `None` when unmapped.
pub(crate) fn class_of(code: &str) -> Option<LandUse> {
    let code = code.trim();
    if !matches!(code.len(), 2 | 4 | 6) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // a listed code first (a third-level one by its second level), else the
    // first-level class when it is one class
    let second = &code[..code.len().min(4)];
    match row(second) {
        Some(class) => class,
        None => row(&code[..2]).flatten(),
    }
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
            ("01", Ecological),
            ("03", Ecological),
            ("07", Residential),
            ("0701", Residential),
            ("10", Industrial),
            ("1001", Industrial),
            ("11", Logistics),
            ("14", Green),
            ("1401", Green),
            ("17", Water),
            ("2301", Vacant),
            ("16", Vacant),
            ("1504", Public),
            ("1311", Utility),
        ] {
            assert_eq!(class_of(code), Some(class), "{code}");
        }
    }

    #[test]
    fn third_level_codes_take_their_second_level_class() {
        assert_eq!(class_of("070101"), Some(Residential));
        assert_eq!(class_of("100103"), Some(Industrial));
        assert_eq!(class_of("120803"), Some(Transport));
        assert_eq!(class_of("150101"), None, "military stays unmapped");
    }

    #[test]
    fn mixed_and_special_classes_are_unmapped_and_homogeneous_ones_map_by_prefix() {
        for code in [
            "15", "23", "1501", "1505", "2399", "25", "7", "070", "07a1", "",
        ] {
            assert_eq!(class_of(code), None, "{code}");
        }
        // an unlisted sub-code of a one-class first level
        assert_eq!(class_of("0799"), Some(Residential));
        assert_eq!(class_of("1801"), Some(Water));
    }

    #[test]
    fn every_row_is_listed_once_under_a_first_level_row() {
        let mut seen = std::collections::HashSet::new();
        for (code, name, _) in CODES {
            assert!(seen.insert(*code), "{code} twice");
            assert!(!name.is_empty() && matches!(code.len(), 2 | 4), "{code}");
            assert!(row(&code[..2]).is_some(), "{code} has no first-level row");
        }
        // 24 first-level classes, 01 to 24
        assert_eq!(CODES.iter().filter(|r| r.0.len() == 2).count(), 24);
    }

    #[test]
    fn numbers_get_their_leading_zero_back() {
        for (v, class) in [
            (json!(701), Some(Residential)),
            (json!(1401), Some(Green)),
            (json!(70101), Some(Residential)),
            (json!("701"), None),
        ] {
            let p = json!({ "YDYHFLDM": v }).as_object().unwrap().clone();
            assert_eq!(classify(&p, "YDYHFLDM").land_use.ok(), class, "{v}");
        }
    }
}
