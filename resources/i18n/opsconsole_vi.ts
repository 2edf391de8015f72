<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Access</name>
    <message>
        <source>viewer</source>
        <translation>người xem</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>điều hành viên</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>giám sát viên</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>quản trị viên</translation>
    </message>
    <message>
        <source>logged in</source>
        <translation>đăng nhập</translation>
    </message>
    <message>
        <source>logged out</source>
        <translation>đăng xuất</translation>
    </message>
    <message>
        <source>took over the shift</source>
        <translation>nhận bàn giao ca</translation>
    </message>
    <message>
        <source>screen locked</source>
        <translation>khóa màn hình</translation>
    </message>
    <message>
        <source>log-in failed</source>
        <translation>đăng nhập sai</translation>
    </message>
    <message>
        <source>log-in refused</source>
        <translation>từ chối đăng nhập</translation>
    </message>
    <message>
        <source>changed password</source>
        <translation>đổi mật khẩu</translation>
    </message>
    <message>
        <source>acknowledged alarm</source>
        <translation>xác nhận cảnh báo</translation>
    </message>
    <message>
        <source>shelved alarm</source>
        <translation>tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>unshelved alarm</source>
        <translation>bỏ tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>took alarm out of service</source>
        <translation>ngừng giám sát cảnh báo</translation>
    </message>
    <message>
        <source>returned alarm to service</source>
        <translation>giám sát lại cảnh báo</translation>
    </message>
    <message>
        <source>added account</source>
        <translation>thêm tài khoản</translation>
    </message>
    <message>
        <source>reset password</source>
        <translation>cấp lại mật khẩu</translation>
    </message>
    <message>
        <source>disabled account</source>
        <translation>vô hiệu hóa tài khoản</translation>
    </message>
    <message>
        <source>enabled account</source>
        <translation>kích hoạt lại tài khoản</translation>
    </message>
    <message>
        <source>loaded site configuration</source>
        <translation>nạp cấu hình trạm</translation>
    </message>
    <message>
        <source>opened incident</source>
        <translation>mở sự cố</translation>
    </message>
    <message>
        <source>closed incident</source>
        <translation>đóng sự cố</translation>
    </message>
    <message>
        <source>escalated to the city</source>
        <translation>báo cáo lên thành phố</translation>
    </message>
    <message>
        <source>read a directive of the city</source>
        <translation>đã đọc chỉ đạo của thành phố</translation>
    </message>
    <message>
        <source>did a directive of the city</source>
        <translation>đã thực hiện chỉ đạo của thành phố</translation>
    </message>
    <message>
        <source>imported a CAP warning</source>
        <translation>đã nhập cảnh báo CAP</translation>
    </message>
    <message>
        <source>Log-ins and shifts</source>
        <translation>Đăng nhập và ca trực</translation>
    </message>
    <message>
        <source>Alarm commands</source>
        <translation>Thao tác cảnh báo</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Cấu hình</translation>
    </message>
    <message>
        <source>City IOC</source>
        <translation>IOC thành phố</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>đã khóa</translation>
    </message>
    <message>
        <source>on duty</source>
        <translation>đang trực</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>vô hiệu hóa</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>phải đổi mật khẩu</translation>
    </message>
    <message>
        <source>unread</source>
        <translation>chưa đọc</translation>
    </message>
    <message>
        <source>read</source>
        <translation>đã đọc</translation>
    </message>
    <message>
        <source>done</source>
        <translation>đã thực hiện</translation>
    </message>
    <message>
        <source>no activity</source>
        <translation>không có thao tác</translation>
    </message>
    <message>
        <source>locked by the person on duty</source>
        <translation>người trực tự khóa</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>sai mật khẩu</translation>
    </message>
    <message>
        <source>no such account</source>
        <translation>không có tài khoản này</translation>
    </message>
    <message>
        <source>account disabled</source>
        <translation>tài khoản bị vô hiệu hóa</translation>
    </message>
    <message>
        <source>account waiting after failed log-ins</source>
        <translation>tài khoản đang chờ sau nhiều lần đăng nhập sai</translation>
    </message>
    <message>
        <source>first administrator</source>
        <translation>quản trị viên đầu tiên</translation>
    </message>
    <message>
        <source>console started</source>
        <translation>khởi động bàn điều khiển</translation>
    </message>
    <message>
        <source>waiting until %1</source>
        <translation>chờ đến %1</translation>
    </message>
    <message>
        <source>%1 (OS account, not logged in)</source>
        <translation>%1 (tài khoản hệ điều hành, không đăng nhập)</translation>
    </message>
    <message>
        <source>Refused: nobody is logged in. Log in first.</source>
        <translation>Bị từ chối: chưa có ai đăng nhập. Hãy đăng nhập trước.</translation>
    </message>
    <message>
        <source>Refused: the screen is locked. Log in to continue.</source>
        <translation>Bị từ chối: màn hình đang khóa. Đăng nhập để tiếp tục.</translation>
    </message>
    <message>
        <source>Refused: you are no longer on duty at this workstation.</source>
        <translation>Bị từ chối: bạn không còn trực tại máy này.</translation>
    </message>
    <message>
        <source>Refused: your role (%1) may not %2.</source>
        <translation>Bị từ chối: vai trò của bạn (%1) không được %2.</translation>
    </message>
    <message>
        <source>Wrong user id or password.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>This account is disabled: ask an administrator.</source>
        <translation>Tài khoản này đã bị vô hiệu hóa: hãy liên hệ quản trị viên.</translation>
    </message>
    <message>
        <source>Too many failed log-ins: this account can try again at %1.</source>
        <translation>Đăng nhập sai quá nhiều lần: tài khoản này có thể thử lại lúc %1.</translation>
    </message>
    <message>
        <source>One-time password: choose a new one, type it twice and log in.</source>
        <translation>Mật khẩu dùng một lần: hãy đặt mật khẩu mới, nhập hai lần rồi đăng nhập.</translation>
    </message>
    <message>
        <source>The new password needs at least 10 characters, must differ from the old one and must not be built on the user id.</source>
        <translation>Mật khẩu mới cần ít nhất 10 ký tự, khác mật khẩu cũ và không dựa trên tên đăng nhập.</translation>
    </message>
    <message>
        <source>A password needs at least 10 characters and must not be built on the user id.</source>
        <translation>Mật khẩu cần ít nhất 10 ký tự và không dựa trên tên đăng nhập.</translation>
    </message>
    <message>
        <source>mark directives read or done</source>
        <translation>đánh dấu chỉ đạo đã đọc hoặc đã thực hiện</translation>
    </message>
    <message>
        <source>import warnings</source>
        <translation>nhập cảnh báo</translation>
    </message>
    <message>
        <source>Accounts exist already: log in.</source>
        <translation>Đã có tài khoản: hãy đăng nhập.</translation>
    </message>
    <message>
        <source>An account with this user id exists already.</source>
        <translation>Đã có tài khoản với tên đăng nhập này.</translation>
    </message>
    <message>
        <source>There is no such account.</source>
        <translation>Không có tài khoản này.</translation>
    </message>
    <message>
        <source>A user id has 1-64 characters from a-z 0-9 . _ - (lower case).</source>
        <translation>Tên đăng nhập gồm 1-64 ký tự a-z 0-9 . _ - (chữ thường).</translation>
    </message>
    <message>
        <source>Choose at least one role.</source>
        <translation>Hãy chọn ít nhất một vai trò.</translation>
    </message>
    <message>
        <source>A full name is needed.</source>
        <translation>Cần nhập họ và tên.</translation>
    </message>
    <message>
        <source>This is the last administrator: add another one first.</source>
        <translation>Đây là quản trị viên cuối cùng: hãy thêm một quản trị viên khác trước.</translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Không có gì thay đổi.</translation>
    </message>
    <message>
        <source>view the console</source>
        <translation>xem bàn điều khiển</translation>
    </message>
    <message>
        <source>read the action log</source>
        <translation>đọc nhật ký thao tác</translation>
    </message>
    <message>
        <source>acknowledge alarms</source>
        <translation>xác nhận cảnh báo</translation>
    </message>
    <message>
        <source>shelve alarms</source>
        <translation>tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>take alarms out of service</source>
        <translation>ngừng giám sát cảnh báo</translation>
    </message>
    <message>
        <source>open incidents</source>
        <translation>mở sự cố</translation>
    </message>
    <message>
        <source>close incidents</source>
        <translation>đóng sự cố</translation>
    </message>
    <message>
        <source>escalate to the city</source>
        <translation>báo cáo lên thành phố</translation>
    </message>
    <message>
        <source>manage accounts</source>
        <translation>quản lý tài khoản</translation>
    </message>
    <message>
        <source>edit the site configuration</source>
        <translation>sửa cấu hình trạm</translation>
    </message>
</context>
<context>
    <name>ActionLogModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Máy trạm</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Thay đổi</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
</context>
<context>
    <name>ActionLogPanel</name>
    <message>
        <source>Search the action log: user, name, alarm, note, workstation</source>
        <translation>Tìm trong nhật ký thao tác: tên đăng nhập, họ tên, cảnh báo, ghi chú, máy trạm</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Mọi thao tác</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Check the chain</source>
        <translation>Kiểm tra chuỗi băm</translation>
    </message>
    <message>
        <source>Recompute every entry&apos;s SHA-256 and its link to the previous one</source>
        <translation>Tính lại SHA-256 của từng mục và liên kết của nó với mục trước</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>The action log could not be read: %1</source>
        <translation>Không đọc được nhật ký thao tác: %1</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
    <message>
        <source>Chain intact: %1 entries, head no. %2, SHA-256 %3…</source>
        <translation>Chuỗi nguyên vẹn: %1 mục, mục cuối số %2, SHA-256 %3…</translation>
    </message>
    <message>
        <source>changed after it was written</source>
        <translation>bị sửa sau khi ghi</translation>
    </message>
    <message>
        <source>an entry before it is missing</source>
        <translation>thiếu một mục trước nó</translation>
    </message>
    <message>
        <source>does not link to the entry before it</source>
        <translation>không nối với mục trước nó</translation>
    </message>
    <message>
        <source>numbered out of order</source>
        <translation>đánh số sai thứ tự</translation>
    </message>
    <message>
        <source>entries sent to the city are missing from the end</source>
        <translation>thiếu các mục cuối đã gửi lên thành phố</translation>
    </message>
    <message>
        <source>differs from the copy sent to the city</source>
        <translation>khác bản đã gửi lên thành phố</translation>
    </message>
    <message>
        <source>Chain BROKEN: first bad entry no. %1 — %2 (%3 problems).</source>
        <translation>Chuỗi BỊ HỎNG: mục sai đầu tiên số %1 — %2 (%3 vấn đề).</translation>
    </message>
</context>
<context>
    <name>Alarm</name>
    <message>
        <source>low</source>
        <translation>thấp</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <source>active, unacknowledged</source>
        <translation>đang xảy ra, chưa xác nhận</translation>
    </message>
    <message>
        <source>active, acknowledged</source>
        <translation>đang xảy ra, đã xác nhận</translation>
    </message>
    <message>
        <source>cleared, unacknowledged</source>
        <translation>đã hết, chưa xác nhận</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>tạm gác</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>ngừng giám sát</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>bình thường</translation>
    </message>
    <message>
        <source>high level</source>
        <translation>mức cao</translation>
    </message>
    <message>
        <source>low level</source>
        <translation>mức thấp</translation>
    </message>
    <message>
        <source>rising fast</source>
        <translation>tăng nhanh</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <source>stuck value</source>
        <translation>giá trị đứng yên</translation>
    </message>
    <message>
        <source>activated</source>
        <translation>bắt đầu</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>kết thúc</translation>
    </message>
    <message>
        <source>severity changed</source>
        <translation>đổi mức độ</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>xác nhận</translation>
    </message>
    <message>
        <source>unshelved</source>
        <translation>bỏ tạm gác</translation>
    </message>
    <message>
        <source>back in service</source>
        <translation>giám sát lại</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <source>Silence (Ctrl+M)</source>
        <translation>Tắt chuông (Ctrl+M)</translation>
    </message>
    <message>
        <source>unacknowledged: %1</source>
        <translation>chưa xác nhận: %1</translation>
    </message>
    <message>
        <source>No unacknowledged alarms</source>
        <translation>Không có cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>%1 new alarms (%2 in %3): %4</source>
        <translation>%1 cảnh báo mới (%2 ở %3): %4</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <source>Note (optional)</source>
        <translation>Ghi chú (không bắt buộc)</translation>
    </message>
    <message>
        <source>Acknowledge (Ctrl+K)</source>
        <translation>Xác nhận (Ctrl+K)</translation>
    </message>
    <message>
        <source>Acknowledge all (Ctrl+Shift+K)</source>
        <translation>Xác nhận tất cả (Ctrl+Shift+K)</translation>
    </message>
    <message>
        <source>Shelving reason (required)</source>
        <translation>Lý do tạm gác (bắt buộc)</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>Tạm gác</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>Bỏ tạm gác</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Ngừng giám sát</translation>
    </message>
    <message>
        <source>Return to service</source>
        <translation>Giám sát lại</translation>
    </message>
    <message>
        <source>Search the journal: feed id, user, note, event</source>
        <translation>Tìm trong nhật ký: mã nguồn, người dùng, ghi chú, sự kiện</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>Mọi mức độ</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Current alarms</source>
        <translation>Cảnh báo hiện tại</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Nhật ký cảnh báo</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
    <message>
        <source>Acknowledged %1 of %2 selected.</source>
        <translation>Đã xác nhận %1 trên %2 cảnh báo đã chọn.</translation>
    </message>
    <message>
        <source>Shelving needs a reason.</source>
        <translation>Tạm gác cần có lý do.</translation>
    </message>
    <message>
        <source>Taking an alarm out of service needs a reason.</source>
        <translation>Ngừng giám sát cần có lý do.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>Người xác nhận</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>DirectiveModel</name>
    <message>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Thời gian gửi</translation>
    </message>
    <message>
        <source>Directive</source>
        <translation>Chỉ đạo</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hạn</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Người gửi</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>khẩn</translation>
    </message>
    <message>
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>thường</translation>
    </message>
    <message>
        <source>done by %1</source>
        <translation>%1 đã thực hiện</translation>
    </message>
    <message>
        <source>unread</source>
        <translation>chưa đọc</translation>
    </message>
    <message>
        <source>read by %1</source>
        <translation>%1 đã đọc</translation>
    </message>
    <message>
        <source>OVERDUE</source>
        <translation>QUÁ HẠN</translation>
    </message>
    <message>
        <source>Answers escalation %1</source>
        <translation>Trả lời báo cáo lên %1</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Ghi chú: %1</translation>
    </message>
</context>
<context>
    <name>DirectivesPanel</name>
    <message>
        <source>Note when done (what was done, by whom)</source>
        <translation>Ghi chú khi thực hiện xong (đã làm gì, ai làm)</translation>
    </message>
    <message>
        <source>Mark read</source>
        <translation>Đánh dấu đã đọc</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>Đánh dấu đã thực hiện</translation>
    </message>
    <message>
        <source>Select a directive first.</source>
        <translation>Hãy chọn một chỉ đạo trước.</translation>
    </message>
    <message>
        <source>Marked done: %1</source>
        <translation>Đã đánh dấu thực hiện: %1</translation>
    </message>
    <message>
        <source>Marked read: %1</source>
        <translation>Đã đánh dấu đọc: %1</translation>
    </message>
    <message>
        <source>Already marked: %1</source>
        <translation>Đã được đánh dấu: %1</translation>
    </message>
    <message>
        <source>This directive is not at this console.</source>
        <translation>Chỉ đạo này không có ở máy trạm này.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Chưa lưu được: %1</translation>
    </message>
</context>
<context>
    <name>DutyBar</name>
    <message>
        <source>Lock (Ctrl+L)</source>
        <translation>Khóa (Ctrl+L)</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>Bàn giao ca…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>Nhập lại mật khẩu mới</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Nobody is on duty: log in to act. Alarms and feeds keep running.</source>
        <translation>Chưa có người trực: đăng nhập để thao tác. Cảnh báo và dữ liệu vẫn chạy.</translation>
    </message>
    <message>
        <source>Screen locked (%1) — %2 is on duty. Log in to continue, or take over.</source>
        <translation>Màn hình đã khóa (%1) — %2 đang trực. Đăng nhập để tiếp tục, hoặc nhận ca.</translation>
    </message>
    <message>
        <source>no activity</source>
        <translation>không có thao tác</translation>
    </message>
    <message>
        <source>locked by hand</source>
        <translation>khóa thủ công</translation>
    </message>
    <message>
        <source>Acting as %1 (OS account, not logged in) — %2</source>
        <translation>Đang thao tác bằng %1 (tài khoản hệ điều hành, không đăng nhập) — %2</translation>
    </message>
    <message>
        <source>On duty: %1 (%2) — %3 — since %4</source>
        <translation>Đang trực: %1 (%2) — %3 — từ %4</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>Tạo quản trị viên</translation>
    </message>
    <message>
        <source>First start: no accounts yet. Create the first administrator.</source>
        <translation>Lần chạy đầu: chưa có tài khoản. Hãy tạo quản trị viên đầu tiên.</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>Nhận ca</translation>
    </message>
    <message>
        <source>The log-in could not be recorded: see the log.</source>
        <translation>Không ghi được lần đăng nhập: xem nhật ký hệ thống.</translation>
    </message>
    <message>
        <source>Type your user id.</source>
        <translation>Hãy nhập tên đăng nhập.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp.</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>Hai mật khẩu mới không khớp.</translation>
    </message>
    <message>
        <source>— the next person logs in here to take over</source>
        <translation>— người nhận ca đăng nhập tại đây</translation>
    </message>
</context>
<context>
    <name>FeedKind</name>
    <message>
        <source>River level</source>
        <translation>Mực nước sông</translation>
    </message>
    <message>
        <source>Rainfall</source>
        <translation>Lượng mưa</translation>
    </message>
    <message>
        <source>Air quality (PM2.5)</source>
        <translation>Chất lượng không khí (PM2.5)</translation>
    </message>
    <message>
        <source>Traffic flow</source>
        <translation>Lưu lượng giao thông</translation>
    </message>
    <message>
        <source>Traffic speed</source>
        <translation>Tốc độ giao thông</translation>
    </message>
    <message>
        <source>CCTV events</source>
        <translation>Sự kiện camera</translation>
    </message>
</context>
<context>
    <name>FeedState</name>
    <message>
        <source>good</source>
        <translation>tốt</translation>
    </message>
    <message>
        <source>uncertain</source>
        <translation>không chắc chắn</translation>
    </message>
    <message>
        <source>bad</source>
        <translation>hỏng</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <source>never reported</source>
        <translation>chưa có dữ liệu</translation>
    </message>
</context>
<context>
    <name>FeedTreeModel</name>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Cách đây</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Chất lượng</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Tùy chọn…</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Tải</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>Remove feed</source>
        <translation>Bỏ nguồn</translation>
    </message>
    <message>
        <source>Feeds (Ctrl+H adds the selected ones)</source>
        <translation>Nguồn dữ liệu (Ctrl+H để thêm nguồn đang chọn)</translation>
    </message>
    <message>
        <source>Add feeds first.</source>
        <translation>Hãy thêm nguồn dữ liệu trước.</translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation>Thời điểm kết thúc phải sau thời điểm bắt đầu.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Lỗi: %1</translation>
    </message>
    <message>
        <source>min/max/mean per bucket</source>
        <translation>nhỏ nhất/lớn nhất/trung bình theo khoảng</translation>
    </message>
    <message>
        <source>raw readings</source>
        <translation>số đo gốc</translation>
    </message>
    <message>
        <source>%1 points, %2</source>
        <translation>%1 điểm, %2</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2</source>
        <translation>Đã xuất %1 dòng ra %2</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Duty</source>
        <translation>Ca trực</translation>
    </message>
    <message>
        <source>Search feeds by id or name (Ctrl+F)</source>
        <translation>Tìm nguồn theo mã hoặc tên (Ctrl+F)</translation>
    </message>
    <message>
        <source>Feeds</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Action log</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Directives</source>
        <translation>Chỉ đạo</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>Add selected feeds to tiles</source>
        <translation>Thêm nguồn đang chọn vào ô hiển thị</translation>
    </message>
    <message>
        <source>Add selected feeds to trend</source>
        <translation>Thêm nguồn đang chọn vào biểu đồ</translation>
    </message>
    <message>
        <source>Show history of selected feeds</source>
        <translation>Xem lịch sử nguồn đang chọn</translation>
    </message>
    <message>
        <source>Search feeds</source>
        <translation>Tìm nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Follow / pause trend</source>
        <translation>Theo dõi / tạm dừng biểu đồ</translation>
    </message>
    <message>
        <source>&amp;Alarms</source>
        <translation>&amp;Cảnh báo</translation>
    </message>
    <message>
        <source>Acknowledge selected alarms</source>
        <translation>Xác nhận cảnh báo đang chọn</translation>
    </message>
    <message>
        <source>Acknowledge all shown alarms</source>
        <translation>Xác nhận tất cả cảnh báo đang hiển thị</translation>
    </message>
    <message>
        <source>Next unacknowledged alarm</source>
        <translation>Cảnh báo chưa xác nhận tiếp theo</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>Tắt chuông</translation>
    </message>
    <message>
        <source>&amp;Duty</source>
        <translation>Ca &amp;trực</translation>
    </message>
    <message>
        <source>Lock the screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>Bàn giao ca…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Directives of the city</source>
        <translation>Chỉ đạo của thành phố</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>Language saved: restart the console to apply it.</source>
        <translation>Đã lưu ngôn ngữ: khởi động lại phần mềm để áp dụng.</translation>
    </message>
    <message>
        <source>Not added: the trend shows at most two units and ten feeds (%1 is in %2).</source>
        <translation>Không thêm được: biểu đồ chỉ hiển thị tối đa hai đơn vị và mười nguồn (%1 đo bằng %2).</translation>
    </message>
    <message>
        <source>NO DATA for %1</source>
        <translation>MẤT TÍN HIỆU %1</translation>
    </message>
</context>
<context>
    <name>RejectsDialog</name>
    <message>
        <source>Rejected input</source>
        <translation>Dữ liệu bị từ chối</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Last sample</source>
        <translation>Mẫu gần nhất</translation>
    </message>
    <message>
        <source>Readings and messages refused by the console, by reason (docs/PROTOCOL.md §1.5).</source>
        <translation>Số đo và bản tin bị từ chối, theo lý do (docs/PROTOCOL.md §1.5).</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>Log: %1</source>
        <translation>Nhật ký: %1</translation>
    </message>
    <message>
        <source>Ingest: %1 readings/s</source>
        <translation>Tiếp nhận: %1 số đo/giây</translation>
    </message>
    <message>
        <source>Rejected: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <source>Write lag: %1 readings, %2 s</source>
        <translation>Ghi chậm: %1 số đo, %2 giây</translation>
    </message>
    <message>
        <source>Log: all committed (%1 stored)</source>
        <translation>Nhật ký: đã ghi đủ (%1 số đo)</translation>
    </message>
    <message>
        <source>%1 commit retries</source>
        <translation>%1 lần ghi lại</translation>
    </message>
    <message>
        <source>IOC link: not configured</source>
        <translation>Liên kết IOC: chưa cấu hình</translation>
    </message>
    <message>
        <source>This site file has no [uplink] section (docs/CONFIG.md).</source>
        <translation>Tệp cấu hình trạm không có mục [uplink] (docs/CONFIG.md).</translation>
    </message>
    <message>
        <source>IOC: online</source>
        <translation>IOC: trực tuyến</translation>
    </message>
    <message>
        <source>IOC: REFUSED since %1</source>
        <translation>IOC: BỊ TỪ CHỐI từ %1</translation>
    </message>
    <message>
        <source>IOC: OFFLINE since %1</source>
        <translation>IOC: MẤT KẾT NỐI từ %1</translation>
    </message>
    <message>
        <source>IOC: connecting…</source>
        <translation>IOC: đang kết nối…</translation>
    </message>
    <message>
        <source>backlog %1</source>
        <translation>tồn %1</translation>
    </message>
    <message>
        <source>oldest %1 s</source>
        <translation>cũ nhất %1 giây</translation>
    </message>
    <message>
        <source>oldest %1 min</source>
        <translation>cũ nhất %1 phút</translation>
    </message>
    <message>
        <source>oldest %1 h</source>
        <translation>cũ nhất %1 giờ</translation>
    </message>
    <message>
        <source>last ack %1</source>
        <translation>xác nhận lúc %1</translation>
    </message>
    <message>
        <source>no ack yet</source>
        <translation>chưa có xác nhận</translation>
    </message>
    <message>
        <source>BACKLOG ABOVE %1</source>
        <translation>TỒN ĐỌNG VƯỢT %1</translation>
    </message>
</context>
<context>
    <name>TilesPanel</name>
    <message>
        <source>No tiles yet: select feeds in the browser and press Ctrl+T.</source>
        <translation>Chưa có ô hiển thị: chọn nguồn trong danh sách rồi bấm Ctrl+T.</translation>
    </message>
</context>
<context>
    <name>TrendPanel</name>
    <message>
        <source>Clear</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Khoảng</translation>
    </message>
    <message>
        <source>Following (F)</source>
        <translation>Đang theo dõi (F)</translation>
    </message>
    <message>
        <source>Paused (F)</source>
        <translation>Tạm dừng (F)</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>User id</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Thêm tài khoản</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>New one-time password</source>
        <translation>Cấp mật khẩu dùng một lần</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>Vô hiệu hóa / kích hoạt</translation>
    </message>
    <message>
        <source>one-time password appears here</source>
        <translation>mật khẩu dùng một lần hiện ở đây</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>vô hiệu hóa</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>phải đổi mật khẩu</translation>
    </message>
    <message>
        <source>%1 accounts</source>
        <translation>%1 tài khoản</translation>
    </message>
    <message>
        <source>Select an account first.</source>
        <translation>Hãy chọn một tài khoản trước.</translation>
    </message>
    <message>
        <source>Give this one-time password to its owner; it must be changed at the first log-in.</source>
        <translation>Trao mật khẩu dùng một lần này cho chủ tài khoản; phải đổi khi đăng nhập lần đầu.</translation>
    </message>
</context>
<context>
    <name>WarningStrip</name>
    <message>
        <source>extreme</source>
        <translation>cực kỳ nghiêm trọng</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>nghiêm trọng</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>nhẹ</translation>
    </message>
    <message>
        <source>severity unknown</source>
        <translation>chưa rõ mức độ</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>đến %1</translation>
    </message>
    <message>
        <source>(exercise)</source>
        <translation>(diễn tập)</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>và %1 cảnh báo khác</translation>
    </message>
</context>
</TS>
