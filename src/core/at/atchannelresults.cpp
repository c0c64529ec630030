// Two-phase commands (OK now, the result URC later): matching results to the commands that await them,
// their time limits, and ending them when the module cannot answer any more.

#include "core/at/atchannel.h"
#include "core/at/atchannelrunning.h"

#include <limits>

namespace qmt {

bool AtChannel::mustWaitForResults(const AtCommand &command) const
{
    // A read or test form (AT+QMTOPEN?) answers with the same prefix as an outstanding result URC
    // (+QMTOPEN: 0,0); the two could not be told apart, so such a command waits until the result is in.
    if (command.resultMatcher)
        return false;
    const QByteArrayView name = AtLineClassifier::commandNameOf(command.text);
    if (name.isEmpty())
        return false;
    return std::any_of(m_awaiting.begin(), m_awaiting.end(), [name](const std::unique_ptr<Running> &r) {
        return AtLineClassifier::commandNameOf(r->command.text).compare(name, Qt::CaseInsensitive) == 0;
    });
}

void AtChannel::deliverResult(const AtLine &line, std::vector<std::unique_ptr<Running>> completed)
{
    // The URC first, then the replies it completed, so listeners see events in wire order.
    Q_EMIT lineReceived(line);
    Q_EMIT urcReceived(line);
    if (completed.empty())
        return;
    for (auto &done : completed) {
        done->reply.status = ReplyStatus::Ok;
        finish(std::move(done));
    }
    startNext(); // a command held back for this result may go now
}

std::vector<std::unique_ptr<AtChannel::Running>> AtChannel::offerToMatchers(AtLine &line, QByteArrayView received)
{
    // The oldest awaiting command that the line answers takes it (results come in order); a line that
    // ends a whole slot (CompleteAll: its link closed) ends every command waiting on it.
    std::vector<std::unique_ptr<Running>> completed;
    for (auto it = m_awaiting.begin(); it != m_awaiting.end();) {
        Running &r = **it;
        const MatchResult match = r.command.resultMatcher(received);
        if (match == MatchResult::NoMatch) {
            ++it;
            continue;
        }
        line.kind = LineKind::Urc;
        if (line.commandId == 0)
            line.commandId = r.reply.id;
        r.reply.resultLines.append(line.text);
        if (match == MatchResult::Progress) {
            Q_EMIT resultProgress(r.reply.id, line.text);
            break;
        }
        completed.push_back(std::move(*it));
        it = m_awaiting.erase(it);
        if (match == MatchResult::Complete)
            break;
    }
    if (!completed.empty())
        armAwaitTimer();
    return completed;
}

void AtChannel::abortSent(ReplyStatus status, const QString &reason)
{
    // A rebooted module answers nothing it was sent before it was up: waiting for that answer would only hold
    // the queue. A command written just now may have reached it after its RDY, and is answered.
    if (m_inFlight && m_inFlight->clock.isValid() && m_inFlight->clock.elapsed() < RebootAnswerWindowMs)
        abandonInFlight(status, reason);
    std::deque<std::unique_ptr<Running>> doomed;
    if (m_inFlight) {
        m_timeoutTimer.stop();
        m_settleTimer.stop();
        m_dataModeTimer.stop();
        m_framer.setPromptExpected(false);
        doomed.push_back(std::move(m_inFlight));
    }
    for (auto &r : m_awaiting)
        doomed.push_back(std::move(r));
    m_awaiting.clear();
    armAwaitTimer();
    for (auto &r : doomed) {
        r->reply.status = status;
        r->reply.detail = reason;
        finish(std::move(r));
    }
    startNext();
}

void AtChannel::moveToAwaiting()
{
    m_timeoutTimer.stop();
    m_framer.setPromptExpected(false);
    std::unique_ptr<Running> r = std::move(m_inFlight);
    if (r->earlyResult) {
        r->reply.resultLines.append(*r->earlyResult);
        r->reply.status = ReplyStatus::Ok;
        finish(std::move(r));
        startNext();
        return;
    }
    r->phase = Running::Phase::AwaitResult;
    if (int(m_awaiting.size()) >= DefaultMaxAwaitingResults) {
        // Bounded: the oldest awaiting command gives up first.
        std::unique_ptr<Running> oldest = std::move(m_awaiting.front());
        m_awaiting.pop_front();
        oldest->reply.status = ReplyStatus::Timeout;
        oldest->reply.detail = tr("Too many commands awaiting their result; gave up on the oldest.");
        finish(std::move(oldest));
    }
    m_awaiting.push_back(std::move(r));
    armAwaitTimer();
    startNext();
}

void AtChannel::armAwaitTimer()
{
    qint64 soonest = -1;
    for (const auto &r : m_awaiting) {
        const qint64 left = std::max<qint64>(0, r->resultDeadlineMs() - r->clock.elapsed());
        if (soonest < 0 || left < soonest)
            soonest = left;
    }
    if (soonest < 0)
        m_awaitTimer.stop();
    else
        m_awaitTimer.start(int(std::min<qint64>(soonest, std::numeric_limits<int>::max())));
}

void AtChannel::onAwaitTimeout()
{
    std::deque<std::unique_ptr<Running>> expired;
    for (auto it = m_awaiting.begin(); it != m_awaiting.end();) {
        if ((*it)->clock.elapsed() >= (*it)->resultDeadlineMs()) {
            expired.push_back(std::move(*it));
            it = m_awaiting.erase(it);
        } else {
            ++it;
        }
    }
    armAwaitTimer();
    for (auto &r : expired) {
        r->reply.status = ReplyStatus::Timeout;
        r->reply.detail = tr("No result within %1 ms after OK.").arg(r->command.timeoutMs);
        finish(std::move(r));
    }
    startNext();
}

} // namespace qmt
