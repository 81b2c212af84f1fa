//! Numbers, yes/no flags and coded values (status, channel, payment gateway, level, unit kind) as people write them.

use super::*;
use chiso::model::{Level, OnlineLevel, PaymentGateway, TimeUnit};
use chiso::{Channel, Status, UnitKind};
use serde_json::Value;

/// Numbers as people write them: `1234.5`, `1,5`, `50.000`, `1.234.567`, `50,000 đ`.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return None;
    }
    let grouped = |sep: char| {
        let parts: Vec<&str> = t.split(sep).collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].trim_start_matches('-').len())
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| {
                p.trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            })
    };
    // Vietnamese amounts group thousands with dots: 50.000 is fifty thousand.
    if grouped('.') {
        return t.replace('.', "").parse().ok();
    }
    if grouped(',') {
        return t.replace(',', "").parse().ok();
    }
    if let Ok(x) = t.parse::<f64>() {
        return x.is_finite().then_some(x);
    }
    if t.contains(',') && !t.contains('.') {
        return t.replace(',', ".").parse().ok();
    }
    // 1.234,5 (European) or 1,234.5
    if let (Some(d), Some(c)) = (t.rfind('.'), t.rfind(',')) {
        let cleaned = if c > d {
            t.replace('.', "").replace(',', ".")
        } else {
            t.replace(',', "")
        };
        return cleaned.parse().ok();
    }
    None
}

pub(super) fn norm(s: &str) -> String {
    crate::read::columns::normalize_header(s)
}

/// Yes/no in English and Vietnamese.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" | "TRUE" | "True" | "x" | "X" => return Some(true),
        "0" | "false" | "FALSE" | "False" => return Some(false),
        _ => {}
    }
    match norm(s).as_str() {
        "1" | "true" | "t" | "yes" | "y" | "x" | "co" | "dung" | "da" | "roi" => Some(true),
        "0" | "false" | "f" | "no" | "n" | "khong" | "sai" | "chua" => Some(false),
        n => n.parse::<f64>().ok().map(|x| x != 0.0),
    }
}

pub(super) fn enum_code(cell: &Cell<'_>) -> Result<Option<(Option<i64>, String)>, String> {
    let Some(t) = cell.text() else {
        return Ok(None);
    };
    let code = parse_number(&t)
        .filter(|x| x.fract() == 0.0)
        .map(|x| x as i64);
    // The normalised name is only needed when the value is not a number.
    let name = if code.is_some() {
        String::new()
    } else {
        norm(&t)
    };
    Ok(Some((code, name)))
}

pub(crate) fn status(cell: &Cell<'_>) -> Result<Option<Status>, String> {
    let Some((code, n)) = enum_code(cell)? else {
        return Ok(None);
    };
    if let Some(c) = code {
        let c = u8::try_from(c).map_err(|_| format!("{c} is not a status code (1–10)"))?;
        return Status::try_from(c).map(Some).map_err(|e| e.to_string());
    }
    let s = match n.as_str() {
        "new" | "moi" | "moinop" | "chotiepnhan" => Status::New,
        "received" | "tiepnhan" | "datiepnhan" => Status::Received,
        "refusedatcounter" | "refused" | "tuchoi" | "tuchoitiepnhan" | "khongtiepnhan" => {
            Status::RefusedAtCounter
        }
        "inprogress" | "dangxuly" | "danggiaiquyet" => Status::InProgress,
        "supplementrequested" | "yeucaubosung" | "chobosung" | "bosung" => {
            Status::SupplementRequested
        }
        "waitingforfees" | "chonopphi" | "chothanhtoan" => Status::WaitingForFees,
        "withdrawn" | "rut" | "darut" | "ruthoso" | "congdanruthoso" => Status::Withdrawn,
        "stopped" | "dungxuly" | "ngungxuly" => Status::Stopped,
        "finished" | "daxuly" | "hoanthanh" | "daxulyxong" | "cokequa" | "coketqua" => {
            Status::Finished
        }
        "returned" | "datra" | "datraketqua" | "traketqua" => Status::Returned,
        _ => {
            return Err(format!(
                "{} is not a dossier status (1–10 or a status name)",
                super::shown(&n)
            ))
        }
    };
    Ok(Some(s))
}

pub(crate) fn channel(cell: &Cell<'_>) -> Result<Option<Channel>, String> {
    let Some((code, n)) = enum_code(cell)? else {
        return Ok(None);
    };
    if let Some(c) = code {
        let c = u8::try_from(c).map_err(|_| format!("{c} is not a channel code"))?;
        return Channel::try_from(c).map(Some).map_err(|e| e.to_string());
    }
    Ok(Some(match n.as_str() {
        "direct" | "tructiep" | "taiquay" | "motcua" => Channel::Direct,
        "online" | "tructuyen" | "dichvucongtructuyen" | "dvctt" | "qua mang" | "quamang" => {
            Channel::Online
        }
        "postal" | "buuchinh" | "buudien" | "buuchinhcongich" | "dichvubuuchinhcongich" => {
            Channel::Postal
        }
        _ => {
            return Err(format!(
                "{} is not a channel (1 direct, 2 online, 3 postal)",
                super::shown(&n)
            ))
        }
    }))
}

pub(crate) fn gateway(cell: &Cell<'_>) -> Result<Option<PaymentGateway>, String> {
    if let Cell::Bool(b) | Cell::Json(Value::Bool(b)) = cell {
        return Ok(Some(if *b {
            PaymentGateway::National
        } else {
            PaymentGateway::None
        }));
    }
    let Some((code, n)) = enum_code(cell)? else {
        return Ok(None);
    };
    if let Some(c) = code {
        let c = u8::try_from(c).map_err(|_| format!("{c} is not a payment code"))?;
        return PaymentGateway::try_from(c)
            .map(Some)
            .map_err(|e| e.to_string());
    }
    Ok(Some(match n.as_str() {
        "none" | "no" | "khong" | "chua" | "false" => PaymentGateway::None,
        "national" | "yes" | "co" | "quocgia" | "true" | "x" => PaymentGateway::National,
        "local" | "provincial" | "tinh" | "bo" | "captinh" => PaymentGateway::Local,
        _ => {
            return Err(format!(
                "{} is not a payment code (0 no, 1 national, 2 provincial)",
                super::shown(&n)
            ))
        }
    }))
}

pub(super) fn level(cell: &Cell<'_>) -> Result<Option<Level>, String> {
    let Some(n) = cell.text().map(|t| norm(&t)) else {
        return Ok(None);
    };
    Ok(Some(match n.as_str() {
        "ministry" | "bo" | "capbo" | "trunguong" | "captrunguong" => Level::Ministry,
        "province" | "tinh" | "captinh" => Level::Province,
        "district" | "huyen" | "caphuyen" | "quan" => Level::District,
        "commune" | "xa" | "capxa" | "phuong" => Level::Commune,
        _ => {
            return Err(format!(
                "{} is not a level (ministry, province, district, commune)",
                super::shown(&n)
            ))
        }
    }))
}

pub(super) fn online_level(cell: &Cell<'_>) -> Result<Option<OnlineLevel>, String> {
    let Some((code, n)) = enum_code(cell)? else {
        return Ok(None);
    };
    if let Some(c) = code {
        return Ok(Some(match c {
            0..=2 => OnlineLevel::None,
            3 => OnlineLevel::Partial,
            4 => OnlineLevel::Full,
            _ => return Err(format!("{c} is not an online level (2, 3 or 4)")),
        }));
    }
    let n = n
        .trim_start_matches("dvctt")
        .trim_start_matches("dichvucongtructuyen");
    Ok(Some(match n {
        "none" | "khong" | "" | "cungcapthongtin" | "thongtin" => OnlineLevel::None,
        "partial" | "motphan" | "muc3" => OnlineLevel::Partial,
        "full" | "toantrinh" | "muc4" => OnlineLevel::Full,
        _ => {
            return Err(format!(
                "{} is not an online level (none, partial, full)",
                super::shown(n)
            ))
        }
    }))
}

pub(super) fn time_unit(s: &str) -> Option<TimeUnit> {
    Some(match norm(s).as_str() {
        "workingdays" | "workingday" | "ngaylamviec" | "ngaylv" | "" => TimeUnit::WorkingDays,
        "days" | "day" | "ngay" | "ngaylich" => TimeUnit::Days,
        "hours" | "hour" | "gio" | "h" => TimeUnit::Hours,
        "months" | "month" | "thang" => TimeUnit::Months,
        _ => return None,
    })
}

pub(super) fn unit_kind(cell: &Cell<'_>) -> Option<UnitKind> {
    let t = cell.text()?;
    let k = match norm(&t).as_str() {
        "bo" | "bonganh" => UnitKind::ministry(),
        "tinh" | "thanhpho" | "ubndtinh" => UnitKind::province(),
        "huyen" | "quan" | "thixa" | "ubndhuyen" => UnitKind::district(),
        "so" | "songanh" | "phong" | "phongban" => UnitKind::department(),
        "xa" | "phuong" | "thitran" | "ubndxa" => UnitKind::commune(),
        "coquan" | "chinhanh" => UnitKind::agency(),
        _ => UnitKind::new(&t),
    };
    Some(k)
}

pub(super) fn key_is(key: &str, names: &[&str]) -> bool {
    let k = norm(key);
    names.iter().any(|n| k == *n)
}
