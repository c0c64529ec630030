#pragma once

#include <QString>

namespace qmt::codes {

// Every result and error code of the application note mapped to its meaning, as translatable text
// (context "qmt::Codes"). Unknown and reserved codes get a text that says so and shows the number.

[[nodiscard]] QString openResult(int result);      ///< +QMTOPEN <result>, −1…4
[[nodiscard]] QString closeResult(int result);     ///< +QMTCLOSE <result>, −1/0
[[nodiscard]] QString discResult(int result);      ///< +QMTDISC <result>, −1/0
[[nodiscard]] QString packetResult(int result);    ///< <result> of CONN/SUB/UNS/PUB, 0–2
[[nodiscard]] QString connReturnCode(int retCode); ///< +QMTCONN <ret_code>, 0–5
[[nodiscard]] QString connState(int state);        ///< AT+QMTCONN? <state>, 1–4
[[nodiscard]] QString grantedQos(int value);       ///< +QMTSUB <value> when result is 0; 128 = refused
[[nodiscard]] QString statMeaning(int code);       ///< +QMTSTAT <err_code>, 1–7, 8–255 reserved
[[nodiscard]] QString statAdvice(int code);        ///< Table 4's "How to do"
[[nodiscard]] QString cmeError(int code);          ///< +CME ERROR <err>, 8503–8600

} // namespace qmt::codes
