//! The language of the report and the map labels (`--lang en|zh`).
//!
//! English is the source text; [`Lang::text`] gives the Chinese of every
//! label the report and the map print, and class and use names follow the
//! Chinese standards' wording (GB 50137-2011 class names). A label without
//! a translation prints in English, so a new label never breaks a report.
//!
//! ```
//! use landstock::output::Lang;
//! use landstock::{LandUse, Use};
//! assert_eq!(Lang::Zh.class_name(LandUse::Industrial), "工业用地");
//! assert_eq!(Lang::En.class_name(LandUse::Industrial), "industrial");
//! assert_eq!(Lang::Zh.use_name(Use::Ecological), "生态用地");
//! assert_eq!(Lang::Zh.text("Before"), "规划前");
//! assert_eq!(Lang::Zh.text("no such label"), "no such label");
//! assert_eq!(Lang::En.text("Before"), "Before");
//! ```

use crate::parcel::LandUse;
use crate::uses::Use;

/// A language of the report and the map.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese (简体中文).
    Zh,
}

impl Lang {
    /// `en` or `zh` (the HTML `lang` attribute).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// A label in this language; English when it has no translation.
    pub fn text(self, en: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => zh(en).unwrap_or(en),
        }
    }

    /// A land-use class's name (`industrial`, 工业用地).
    pub fn class_name(self, c: LandUse) -> &'static str {
        match self {
            Lang::En => c.as_str(),
            Lang::Zh => match c {
                LandUse::Residential => "居住用地",
                LandUse::Public => "公共管理与公共服务用地",
                LandUse::Commercial => "商业服务业设施用地",
                LandUse::Industrial => "工业用地",
                LandUse::Logistics => "物流仓储用地",
                LandUse::Transport => "道路与交通设施用地",
                LandUse::Utility => "公用设施用地",
                LandUse::Green => "绿地与广场用地",
                LandUse::Water => "水域",
                LandUse::Ecological => "农林及生态用地",
                LandUse::Vacant => "空闲地",
                LandUse::Unknown => "未分类",
            },
        }
    }

    /// A use's name (`green`, 公园绿地).
    pub fn use_name(self, u: Use) -> &'static str {
        match self {
            Lang::En => u.as_str(),
            Lang::Zh => match u {
                Use::Keep => "保留",
                Use::Green => "公园绿地",
                Use::Ecological => "生态用地",
                Use::Cultural => "文化创意街区",
                Use::Redevelop => "出让再开发",
            },
        }
    }
}

/// The Chinese of an English label.
fn zh(en: &str) -> Option<&'static str> {
    Some(match en {
        // map
        "N (grid north)" => "N（坐标北）",
        "Before: land use by class" => "规划前：用地现状分类",
        "After: converted parcels by target use" => "规划后：转换地块及目标用途",
        "Converted to (after panel):" => "规划转换为（右图）：",
        "landstock plan" => "landstock 规划",
        "ha" => "公顷",
        // report sections
        "Map" => "规划图",
        "input" => "输入",
        "Indicators before and after the plan" => "规划前后指标",
        "Land-use balance" => "用地平衡表",
        "Converted area by use" => "各用途转换面积",
        "Solver" => "求解",
        "Ingest" => "数据读入",
        "Binding constraints" => "起约束作用的条件",
        "Top decisions" => "主要地块决策",
        "Configuration" => "配置",
        "Effective configuration (JSON)" => "实际使用的配置（JSON）",
        // solver
        "Method" => "方法",
        "Status" => "状态",
        "Objective" => "目标值",
        "Bound" => "上界",
        "Relative gap" => "相对间隙",
        "Seconds" => "用时（秒）",
        "Benefit" => "效益",
        "Adjacency bonus" => "相邻加成",
        "Cap" => "规模上限",
        "Candidates" => "候选地块",
        "Converted parcels" => "转换地块",
        // constraints
        "Constraint" => "约束",
        "Description" => "说明",
        "Limit" => "限值",
        "Value" => "取值",
        "Slack" => "余量",
        "No constraint is binding." => "没有起约束作用的条件。",
        "constraints with slack" => "个约束尚有余量",
        // decisions
        "Parcel" => "地块",
        "From" => "原用地",
        "Use" => "规划用途",
        "Area (ha)" => "面积（公顷）",
        "Score" => "适宜性得分",
        "Reasons" => "理由",
        "No decisions in the summary." => "摘要中没有地块决策。",
        // ingest
        "total features" => "要素总数",
        "accepted features" => "接受的要素",
        "repaired features" => "修复后接受的要素",
        "rejected features" => "拒绝的要素",
        "Working CRS" => "工作坐标系",
        "Areas measured" => "面积量算",
        "planar" => "平面（投影坐标系）",
        "ellipsoidal" => "椭球面",
        // land-use balance
        "class" => "用地类别",
        "area before (ha)" => "规划前面积（公顷）",
        "share before" => "规划前比例",
        "area after (ha)" => "规划后面积（公顷）",
        "share after" => "规划后比例",
        "change (ha)" => "增减（公顷）",
        "total" => "合计",
        // indicators
        "Indicator" => "指标",
        "Unit" => "单位",
        "Before" => "规划前",
        "After" => "规划后",
        "Change" => "变化",
        "Converted to green" => "转为公园绿地",
        "Converted to ecological" => "转为生态用地",
        "Converted to cultural" => "转为文化创意街区",
        "Redeveloped" => "出让再开发",
        "Cap used" => "已用规模",
        "Construction land" => "建设用地",
        "Construction land change" => "建设用地变化",
        "Residents" => "居住人口",
        "Park green space per resident" => "人均公园绿地面积",
        "Park service coverage (500 m)" => "公园绿地服务覆盖率（500 米）",
        "Ecological patches" => "生态斑块数",
        "Largest ecological patch" => "最大生态斑块",
        "Cultural districts" => "文化街区数",
        "Cultural district areas" => "文化街区面积",
        "Conversion cost" => "改造成本",
        "Auction revenue" => "出让收入",
        "Net cost" => "净成本",
        "%" => "%",
        "persons" => "人",
        "m²/person" => "平方米/人",
        "share (0–1)" => "比例（0–1）",
        "count" => "个",
        "currency" => "货币单位",
        // why this plan, scenarios
        "Why this plan" => "方案说明",
        "none" => "无",
        "One more hectare of cap" => "规模上限增加 1 公顷的边际效益",
        "One more unit of budget" => "预算增加 1 元的边际效益",
        "Good parcels left out, and what stopped them" => "未入选的优质地块及其原因",
        "Best use" => "最适用途",
        "Stopped by" => "限制因素",
        "Scenarios: benefit against cap" => "情景比较：效益与规模上限",
        "Columns: converted area by use (stacked); number above: objective (benefit + adjacency bonus)." => "柱：各用途转换面积（堆叠）；柱顶数字：目标值（效益 + 相邻加成）。",
        "Cap (ha)" => "规模上限（公顷）",
        "Gap" => "间隙",
        "Green (ha)" => "公园绿地（公顷）",
        "Ecological (ha)" => "生态用地（公顷）",
        "Cultural (ha)" => "文化街区（公顷）",
        "Redevelop (ha)" => "出让再开发（公顷）",
        // issue 18: robustness, alternatives, irreplaceability, remediation
        "A plan that survives a weak land market" => "抵御土地市场疲软的方案",
        "Auctions may bring" => "土地出让收入可能减少",
        "less than expected; the plan's money stays non-negative in every phase if they do. Price of robustness:" => "，即便如此，各期资金仍不为负。稳健性的代价：",
        "of the plain plan's objective" => "占普通方案目标值",
        "parcels decided differently" => "个地块决策不同",
        "robust plan" => "稳健方案",
        "plain plan" => "普通方案",
        "Converted area (ha)" => "转换面积（公顷）",
        "Auctioned area (ha)" => "出让面积（公顷）",
        "Expected auction revenue" => "预期出让收入",
        "Money left if auctions fall short" => "出让收入不足时的结余资金",
        "Phase" => "期",
        "robust: cash after" => "稳健：期末资金",
        "robust: if auctions fall short" => "稳健：出让收入不足时",
        "plain: cash after" => "普通：期末资金",
        "plain: if auctions fall short" => "普通：出让收入不足时",
        "Alternative plans" => "备选方案",
        "plans, each within" => "个方案，每个与最优方案相差不超过",
        "of the optimum and differing from every other on at least" => "，且两两之间至少相差",
        "parcels are converted in every plan," => "个地块在所有方案中均被转换，",
        "in some but not all." => "个地块仅在部分方案中被转换。",
        "Fewer than asked for:" => "少于所求：",
        "Method:" => "方法：",
        "Plan" => "方案",
        "below the optimum" => "低于最优",
        "differs from plan 0 (ha)" => "与方案 0 的差异（公顷）",
        "least difference (ha)" => "最小差异（公顷）",
        "Parcels some plans convert and others do not" => "部分方案转换、部分方案保留的地块",
        "plans converting it" => "转换它的方案数",
        "as" => "用途",
        "Remediation by end use (GB 36600-2018)" => "按规划用途的污染修复（GB 36600-2018）",
        "Contaminated sites are cleaned to the screening values of the target use's land category: Type I (housing, schools, hospitals, community and children's parks) or Type II (industry, logistics, roads, other green space). Cost per m²:" => "污染地块按目标用途所属用地类别的筛选值修复：第一类用地（居住、中小学、医疗、社区公园和儿童公园）或第二类用地（工业、物流仓储、道路、其他绿地）。每平方米成本：",
        "Type I (stricter)" => "第一类用地（更严格）",
        "Type II" => "第二类用地",
        "Category" => "用地类别",
        "Contaminated parcels" => "污染地块数",
        "Remediation cost" => "修复成本",
        "by site-class rule" => "按地块类别规则",
        "contaminated candidates may not take some uses (site-class rules)." => "个污染候选地块按地块类别规则不得用于部分用途。",
        "Parcels the plan cannot do without" => "方案不可或缺的地块",
        "of the" => "/",
        "converted parcels cannot be replaced without loss: locked out, the best plan without them is worse." => "个转换地块无法无损替代：若排除它们，最优方案的目标值下降。",
        "objective change if locked out" => "排除后目标值变化",
        "objective change if locked in" => "强制纳入后目标值变化",
        "proven interval" => "已证明区间",
        "no plan without it" => "缺之则无可行方案",
        "no plan found" => "未找到方案",
        "Good parcels left out: what forcing each in would change" => "未入选的优质地块：强制纳入的影响",
        "locked in as" => "纳入用途",
        _ => return None,
    })
}
